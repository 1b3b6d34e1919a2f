package io.github.anilistmalsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.config.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After a demo run (config written, signed in, synced, backups taken), everything in the data dir is private. */
class PrivateDataDirIT {

  @Test
  void afterADemoRunTheDataDirIs0700AndEveryFileInIt0600(@TempDir Path tmp) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("data"));
    int webPort = TestConfigs.freePort();
    try (ServiceProcess demo = ServiceProcess.start(tmp, Map.of("OAUTH_PORT", String.valueOf(TestConfigs.freePort())),
        "demo", "--port", String.valueOf(webPort), "--host", "127.0.0.1", "--data-dir", dir.toString())) {
      assertThat(demo.awaitLine("Demo dashboard password: ", Duration.ofSeconds(90))).as(demo.output()).isTrue();
      Map<String, String> modes = new TreeMap<>();
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) all::iterator) {
          modes.put(p.equals(dir) ? "." : dir.relativize(p).toString(),
              PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        }
      }
      assertThat(modes).containsKeys("config.yaml", "state.db");
      assertThat(modes).allSatisfy((name, mode) ->
          assertThat(mode).as(name).isEqualTo(Files.isDirectory(dir.resolve(name)) ? "rwx------" : "rw-------"));
    }
  }
}
