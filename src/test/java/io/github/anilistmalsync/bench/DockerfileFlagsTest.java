package io.github.anilistmalsync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The container runs the JVM as the benchmark measured it (and the integration tests exercise it). */
class DockerfileFlagsTest {

  @Test
  void theDockerfileStartsTheJvmWithTheFlagsAndEnvironmentTheBenchmarkMeasures() throws Exception {
    String dockerfile = Files.readString(Path.of("Dockerfile"));

    assertThat(dockerfile).contains("ENV JAVA_OPTS=\"" + String.join(" ", Benchmark.JVM_FLAGS) + "\"");
    Benchmark.JVM_ENV.forEach((name, value) -> assertThat(dockerfile).contains("ENV " + name + "=" + value));
  }
}
