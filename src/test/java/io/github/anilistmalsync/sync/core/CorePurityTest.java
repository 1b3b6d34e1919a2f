package io.github.anilistmalsync.sync.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The core is pure: its own sources prove it, by what they import. */
class CorePurityTest {
  private static final Path CORE = Path.of("src/main/java/io/github/anilistmalsync/sync/core");

  @Test
  void theCoreNamesNothingFromVertx() throws IOException {
    List<Path> sources;
    try (Stream<Path> files = Files.list(CORE)) {
      sources = files.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertThat(sources).as("the core's sources").hasSizeGreaterThan(10);
    for (Path source : sources) {
      assertThat(Files.readString(source)).as(source.getFileName().toString()).doesNotContain("io.vertx");
    }
  }
}
