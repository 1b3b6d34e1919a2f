package io.github.anilistmalsync.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the benchmark starts the service jar: as the Dockerfile does (its JVM flags and environment, {@link
 * Benchmark#JVM_FLAGS}, and optionally a class-data archive), and what it reads of a running process (/proc, jcmd, the
 * dashboard's /health/live). It may touch processes it starts, their data directory's logs and the archive's file.
 */
final class ServiceLauncher {
  /**
   * With {@code -Dbench.archive=true}: an archive of the app's classes (recorded by a training start of the demo) that
   * every measured process maps. The Dockerfile makes none: it cost 10 MB of RSS for about 0.3 s of start-up (Footprint).
   */
  private Path archive;
  private final Path jar;

  ServiceLauncher(Path jar) {
    this.jar = jar;
  }

  /** The service jar every process runs. */
  Path jar() {
    return jar;
  }

  /** Whether the measured processes map a class-data archive. */
  boolean hasArchive() {
    return archive != null;
  }

  /**
   * As the Dockerfile does: a training start of the demo records the classes the service loads into a class-data
   * archive, which every measured process then maps ({@link #javaCommand}).
   */
  void trainArchive() throws Exception {
    Path dir = Files.createTempDirectory("bench-training");
    archive = dir.resolve("app.jsa");
    int port = freePort();
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(Benchmark.JVM_FLAGS);
    command.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-jar", jar.toString(), "demo", "--data-dir", dir.toString(),
        "--port", String.valueOf(port), "--host", "127.0.0.1"));
    ProcessBuilder pb = service(command).redirectOutput(dir.resolve("training.log").toFile());
    pb.environment().put("OAUTH_PORT", String.valueOf(freePort()));
    Process p = pb.start();
    String out = "";
    long until = System.nanoTime() + 120_000_000_000L;
    while (!out.contains("demo ready") && p.isAlive() && System.nanoTime() < until) {
      Thread.sleep(100);
      out = Files.readString(dir.resolve("training.log"));
    }
    p.destroy();
    p.waitFor();
    if (!Files.exists(archive)) {
      System.out.println("no class-data archive was made; measuring without one");
      archive = null;
    }
  }

  /** A service process as the Dockerfile starts one: its environment, the output merged. */
  static ProcessBuilder service(List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(Benchmark.JVM_ENV);
    return pb;
  }

  /** {@code java}, the Dockerfile's JVM flags and, when there is one, the class-data archive. */
  List<String> javaCommand(boolean withArchive) {
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(Benchmark.JVM_FLAGS);
    if (withArchive && archive != null) command.add("-XX:SharedArchiveFile=" + archive);
    return command;
  }

  long readyMillis(Path dir) throws Exception {
    return readyMillis(dir, true);
  }

  /** Milliseconds from process start to the dashboard answering /health/live. */
  long readyMillis(Path dir, boolean withArchive) throws Exception {
    List<String> command = javaCommand(withArchive);
    command.addAll(List.of("-jar", jar.toString(), "run", "--data-dir", dir.toString()));
    long started = System.nanoTime();
    Process p = service(command).redirectOutput(dir.resolve("ready.log").toFile()).start();
    try {
      return awaitReady(dir, started);
    } finally {
      p.destroy();
      p.waitFor();
    }
  }

  static long procStatus(long pid, String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(key + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    } catch (IOException | RuntimeException gone) {
      // the process has ended
    }
    return 0;
  }

  static double cpuSeconds(long pid) {
    try {
      String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).replaceAll("^.*\\) ", "").split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException | RuntimeException gone) {
      return 0;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Milliseconds from {@code launched} to the dashboard's /health/live answering 200 (-1: not within a minute). */
  static long awaitReady(Path dir, long launched) throws Exception {
    Matcher port = Pattern.compile("web:\\s*\\n\\s*port: (\\d+)").matcher(Files.readString(dir.resolve("config.yaml")));
    port.find();
    while (System.nanoTime() - launched < 60_000_000_000L) {
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port.group(1) + "/health/live").toURL().openConnection();
        c.setConnectTimeout(200);
        if (c.getResponseCode() == 200) return (System.nanoTime() - launched) / 1_000_000;
      } catch (IOException notYet) {
        Thread.sleep(10);
      }
    }
    return -1;
  }

  /** The JVM's own account of its memory ({@code jcmd PID VM.native_memory summary}), when tracking is on. */
  static String nativeMemory(long pid) {
    try {
      Process j = new ProcessBuilder("jcmd", String.valueOf(pid), "VM.native_memory", "summary").redirectErrorStream(true).start();
      String out = new String(j.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      j.waitFor();
      return out;
    } catch (IOException | InterruptedException e) {
      return "jcmd: " + e;
    }
  }
}
