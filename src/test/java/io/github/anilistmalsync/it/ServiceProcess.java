package io.github.anilistmalsync.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The built jar run as a separate process, as a user runs it. Its output goes to a file (reading a pipe races with
 * the JDK draining it when the process exits, and the last lines — the ones about stopping — get lost).
 */
final class ServiceProcess implements AutoCloseable {
  /** The JVM flags and environment the Dockerfile uses (and the benchmark measures), so the tests exercise the container's settings. */
  static final List<String> JVM_FLAGS = io.github.anilistmalsync.bench.Benchmark.JVM_FLAGS;

  private final Process process;
  private final Path log;

  private ServiceProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static ServiceProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
    String jar = System.getProperty("app.jar", "target/anilist-mal-sync.jar");
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(JVM_FLAGS);
    command.addAll(List.of("-jar", Path.of(jar).toAbsolutePath().toString()));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(workDir, "process", ".log");
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("ANILIST_") || k.startsWith("MAL_") || k.startsWith("SYNC_") || k.startsWith("WEB_"));
    pb.environment().putAll(io.github.anilistmalsync.bench.Benchmark.JVM_ENV);
    pb.environment().putAll(env);
    return new ServiceProcess(pb.start(), log);
  }

  /**
   * Prepares {@code dir} for a service on fake AniList and MAL: a config.yaml naming them (followed by {@code more},
   * further YAML sections) and a tokens.json signed in to both.
   */
  static void prepareFor(Path dir, String aniListUrl, String malUrl, String more) throws IOException {
    Files.writeString(dir.resolve("config.yaml"), """
        anilist:
          client_id: "1234"
          client_secret: "anilist-client-secret-value"
          api_url: "%s"
          requests_per_minute: 1200
        myanimelist:
          client_id: "abcd"
          api_url: "%s"
          requests_per_second: 20
        oauth:
          port: %d
        """.formatted(aniListUrl, malUrl, io.github.anilistmalsync.config.TestConfigs.freePort()) + more);
    Files.writeString(dir.resolve("tokens.json"), """
        {"version": 1, "tokens": {"anilist": {"access_token": "a", "expires_at": "2099-01-01T00:00:00Z"},
                                  "mal": {"access_token": "m", "refresh_token": "r", "expires_at": "2099-01-01T00:00:00Z"}}}""");
  }

  /** Waits until a line containing {@code text} is printed; false if the process ended or the time ran out first. */
  boolean awaitLine(String text, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (output().contains(text)) return true;
      if (!process.isAlive()) return output().contains(text);
      Thread.sleep(50);
    }
    return false;
  }

  int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the process did not end in " + timeout + "; output:\n" + output());
    }
    return process.exitValue();
  }

  /** Sends SIGTERM (what Process.destroy does on Linux), as docker stop does. */
  void terminate() {
    process.destroy();
  }

  /** SIGKILL: no shutdown hook runs, as when the machine loses power. */
  void kill() {
    process.destroyForcibly();
  }

  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) process.destroyForcibly();
  }
}
