package io.github.anilistmalsync.bench;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.model.ScoreFormat;
import io.github.anilistmalsync.sandbox.FakeAniList;
import io.github.anilistmalsync.sandbox.FakeMal;
import io.github.anilistmalsync.sandbox.RecordedRequest;
import io.github.anilistmalsync.sandbox.SampleLists;
import io.github.anilistmalsync.sync.core.Agreement;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark: the real service jar, as a separate process with the Dockerfile's JVM flags, against the fake
 * servers limited like the real ones (AniList 30 requests a minute with a 429 and Retry-After 60 past it; MAL 1 a
 * second), both sped up by one scale factor so every result is reported as a ratio to the bound at that scale.
 * For 100, 1,000, 2,000 and 5,000 entries per side and type: a first sync, an immediate second one, and one after 50 edits.
 * Writes BENCHMARKS.md. Run: {@code java -cp target/anilist-mal-sync.jar io.github.anilistmalsync.bench.Benchmark [scale] [sizes]}.
 */
public final class Benchmark {
  /** The Dockerfile's JAVA_OPTS, which the integration tests run too; {@code -Dbench.flags="..."} tries others. */
  public static final List<String> JVM_FLAGS = System.getProperty("bench.flags") != null
      ? List.of(System.getProperty("bench.flags").trim().split("\\s+")) : List.of("-XX:+UseSerialGC", "-Xss512k", "-XX:TieredStopAtLevel=1", "-Xms8m", "-Xmx64m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20", "-XX:ReservedCodeCacheSize=16m", "-XX:CICompilerCount=1", "-XX:MaxDirectMemorySize=16m", "-Dio.netty.allocator.numDirectArenas=1", "-Dio.netty.allocator.numHeapArenas=1");
  /** The Dockerfile's environment for the JVM: two malloc arenas, not eight a core (each one keeps what it once held). */
  public static final Map<String, String> JVM_ENV = Map.of("MALLOC_ARENA_MAX", "2");
  private static final Pattern RUN_LINE = Pattern.compile("^(\\S+) .*run (\\S+): (starting|ok|failed|refused|needsSignIn)");

  /** One scenario's measurements. */
  record Result(int size, String scenario, Map<String, Long> requests, long minimum, long writesNeeded, double wallSeconds,
                double boundSeconds, long throttled, long peakRssKb, long peakAnonKb, double cpuSeconds, boolean agree) {}

  private final Vertx vertx = Vertx.vertx();
  private final double scale;
  private final Path jar;
  /**
   * With {@code -Dbench.archive=true}: an archive of the app's classes (recorded by a training start of the demo) that
   * every measured process maps. The Dockerfile makes none: it cost 10 MB of RSS for about 0.3 s of start-up (Footprint).
   */
  private Path archive;

  Benchmark(double scale, Path jar) {
    this.scale = scale;
    this.jar = jar;
  }

  public static void main(String[] args) throws Exception {
    double scale = args.length > 0 ? Double.parseDouble(args[0]) : 20;
    List<Integer> sizes = args.length > 1 ? java.util.Arrays.stream(args[1].split(",")).map(Integer::valueOf).toList() : List.of(100, 1000, 2000, 5000);
    Path jar = Path.of(Benchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Benchmark bench = new Benchmark(scale, jar);
    bench.lastSize = sizes.get(sizes.size() - 1);
    List<Result> results = new ArrayList<>();
    List<String> ready = new ArrayList<>();
    if (Boolean.getBoolean("bench.archive")) bench.trainArchive();
    for (int size : sizes) {
      bench.runSize(size, results, ready);
    }
    Files.writeString(Path.of("BENCHMARKS.md"), bench.report(results, ready, String.join(" ", args)) + bench.idleReport() + bench.latencyReport()
        + bench.footprintReport(results));
    System.out.println(Files.readString(Path.of("BENCHMARKS.md")));
    bench.vertx.close().await();
    System.exit(0);
  }

  private void runSize(int size, List<Result> results, List<String> ready) throws Exception {
    FakeAniList aniList = new FakeAniList(vertx).user(new FakeAniList.User(1, "bench", ScoreFormat.POINT_10))
        .rateLimit((int) Math.round(30 * scale), (int) Math.max(1, Math.round(60 / scale)));
    FakeMal mal = new FakeMal(vertx).throttle(scale * 1.0);
    long lookupRequests = 0;
    for (MediaType type : MediaType.values()) {
      int malOnlyToLookUp = 0;
      int malOnlyFound = 0;
      for (SampleLists.Item item : SampleLists.generate(type, size, SampleLists.Mix.realistic(), 42, Instant.now())) {
        SampleLists.seed(item, aniList, mal);
        if (item.kind() == SampleLists.Kind.MAL_ONLY || item.kind() == SampleLists.Kind.MAL_UNMAPPABLE) malOnlyToLookUp++;
        if (item.kind() == SampleLists.Kind.MAL_ONLY) malOnlyFound++;
      }
      // the lookups, then the check that the user holds no hidden AniList entry for a media about to be created
      lookupRequests += (malOnlyToLookUp + 49) / 50 + (malOnlyFound + 49) / 50;
    }
    aniList.start(0).await();
    mal.start(0).await();
    Path dir = Files.createTempDirectory("bench-" + size);
    Files.writeString(dir.resolve("config.yaml"), """
        anilist:
          client_id: "bench"
          client_secret: "bench-secret"
          api_url: "%s"
          requests_per_minute: %s
        myanimelist:
          client_id: "bench"
          api_url: "%s"
          requests_per_second: %s
        oauth:
          port: %d
        sync:
          interval: 100000
        web:
          port: %d
          host: 127.0.0.1
          password: "bench-password"
        """.formatted(aniList.apiUrl(), 30 * scale, mal.apiUrl(), 1 * scale, freePort(), freePort()));
    Files.writeString(dir.resolve("tokens.json"), """
        {"version": 1, "tokens": {"anilist": {"access_token": "a", "expires_at": "2099-01-01T00:00:00Z"},
                                  "mal": {"access_token": "m", "refresh_token": "r", "expires_at": "2099-01-01T00:00:00Z"}}}""");

    results.add(scenario(size, "1. first sync", dir, aniList, mal, lookupRequests));
    results.add(scenario(size, "2. second sync", dir, aniList, mal, 0));
    editFifty(aniList, mal);
    results.add(scenario(size, "3. after 50 edits", dir, aniList, mal, 0));
    ready.add(size + " entries: " + readyMillis(dir, false) + " ms"
        + (archive == null ? "" : " (with the archive of the app's classes: " + readyMillis(dir) + " ms)"));
    idle.add(idlePolling(size, dir, aniList, mal, size == lastSize));
    aniList.stop().await();
    mal.stop().await();
  }

  /** 25 score edits on each side, each a little later than the last sync. */
  private static void editFifty(FakeAniList aniList, FakeMal mal) {
    int done = 0;
    for (AniListEntry e : aniList.entries(MediaType.ANIME)) {
      if (done == 25 || e.media().idMal() == null) continue;
      int score = e.score100() >= 90 ? 40 : e.score100() + 10;
      aniList.putEntry(new AniListEntry(e.id(), e.media(), e.status(), score, null, e.progress(), e.progressVolumes(), e.repeat(),
          e.isPrivate(), e.hiddenFromStatusLists(), e.notes(), e.customLists(), e.startedAt(), e.completedAt(),
          Instant.now().getEpochSecond() + 5, e.createdAt()));
      done++;
    }
    done = 0;
    for (MalEntry e : mal.entries(MediaType.MANGA)) {
      if (done == 25) break;
      mal.putEntry(new MalEntry(e.id(), e.type(), e.title(), e.mediaType(), e.progressTotal(), e.volumesTotal(), e.nsfw(), e.status(),
          e.score() >= 9 ? 4 : e.score() + 1, e.progress(), e.volumesRead(), e.repeating(), e.repeatCount(), e.startDate(), e.finishDate(),
          e.comments(), e.tags(), e.priority(), Instant.now().plusSeconds(5)));
      done++;
    }
  }

  private Result scenario(int size, String name, Path dir, FakeAniList aniList, FakeMal mal, long lookupsDue) throws Exception {
    aniList.clearLog();
    mal.clearLog();
    Path log = dir.resolve("run.log");
    List<String> command = javaCommand(true);
    command.addAll(List.of("-jar", jar.toString(), "run", "--once", "--data-dir", dir.toString()));
    Process p = service(command).redirectOutput(log.toFile()).start();
    long peakKb = 0;
    long peakAnonKb = 0;
    double cpu = 0;
    while (p.isAlive()) {
      peakKb = Math.max(peakKb, procStatus(p.pid(), "VmHWM"));
      peakAnonKb = Math.max(peakAnonKb, procStatus(p.pid(), "RssAnon"));
      cpu = Math.max(cpu, cpuSeconds(p.pid()));
      Thread.sleep(100);
    }
    String out = Files.readString(log);
    double wall = runSeconds(out);
    Map<String, Long> requests = new TreeMap<>();
    long throttled = 0;
    for (RecordedRequest r : aniList.requests()) {
      requests.merge("AniList " + r.kind(), 1L, Long::sum);
      if (r.status() == 429) throttled++;
    }
    for (RecordedRequest r : mal.requests()) {
      requests.merge("MAL " + r.kind(), 1L, Long::sum);
      if (r.status() == 429 || r.status() == 403) throttled++;
    }
    long writesNeeded = 0;
    Matcher counts = Pattern.compile("^(anime|manga)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)", Pattern.MULTILINE).matcher(out);
    while (counts.find()) writesNeeded += Long.parseLong(counts.group(2)) + Long.parseLong(counts.group(3)) + Long.parseLong(counts.group(4));
    long minimum = 1;
    long aniMin = 1;
    long malMin = 0;
    for (MediaType type : MediaType.values()) {
      aniMin += (aniList.entries(type).size() + 499) / 500;
      malMin += (mal.entries(type).size() + 999) / 1000;
    }
    aniMin += lookupsDue;
    minimum = aniMin + malMin + writesNeeded;
    long aniRequests = requests.entrySet().stream().filter(e -> e.getKey().startsWith("AniList")).mapToLong(Map.Entry::getValue).sum();
    long malRequests = requests.entrySet().stream().filter(e -> e.getKey().startsWith("MAL")).mapToLong(Map.Entry::getValue).sum();
    double bound = Math.max(aniRequests / (30 * scale / 60.0), malRequests / scale);
    boolean agree = true;
    for (MediaType type : MediaType.values()) {
      agree &= Agreement.disagreements(aniList.entries(type), mal.entries(type)).isEmpty();
    }
    System.out.printf(Locale.ROOT, "%d %s: %d requests (minimum %d), %.1f s (bound %.1f s), %d throttled, %d MB peak%n",
        size, name, aniRequests + malRequests, minimum, wall, bound, throttled, peakKb / 1024);
    return new Result(size, name, requests, minimum, writesNeeded, wall, bound, throttled, peakKb, peakAnonKb, cpu, agree);
  }

  /** From the service's log: the time between the first run's start and its end. */
  private static double runSeconds(String out) {
    Instant start = null;
    Instant end = null;
    for (String line : out.split("\n")) {
      Matcher m = RUN_LINE.matcher(line);
      if (!m.find()) continue;
      Instant at = OffsetDateTime.parse(m.group(1)).toInstant();
      if (m.group(3).equals("starting") && start == null) start = at;
      else if (!m.group(3).equals("starting")) end = at;
    }
    return start == null || end == null ? Double.NaN : Duration.between(start, end).toMillis() / 1000.0;
  }

  /**
   * As the Dockerfile does: a training start of the demo records the classes the service loads into a class-data
   * archive, which every measured process then maps ({@link #javaCommand}).
   */
  private void trainArchive() throws Exception {
    Path dir = Files.createTempDirectory("bench-training");
    archive = dir.resolve("app.jsa");
    int port = freePort();
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(JVM_FLAGS);
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
  private static ProcessBuilder service(List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(JVM_ENV);
    return pb;
  }

  /** {@code java}, the Dockerfile's JVM flags and, when there is one, the class-data archive. */
  private List<String> javaCommand(boolean withArchive) {
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(JVM_FLAGS);
    if (withArchive && archive != null) command.add("-XX:SharedArchiveFile=" + archive);
    return command;
  }

  private long readyMillis(Path dir) throws Exception {
    return readyMillis(dir, true);
  }

  /** Milliseconds from process start to the dashboard answering /health/live. */
  private long readyMillis(Path dir, boolean withArchive) throws Exception {
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

  private static long procStatus(long pid, String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(key + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    } catch (IOException | RuntimeException gone) {
      // the process has ended
    }
    return 0;
  }

  private static double cpuSeconds(long pid) {
    try {
      String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).replaceAll("^.*\\) ", "").split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException | RuntimeException gone) {
      return 0;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private String report(List<Result> results, List<String> ready, String args) {
    StringBuilder s = new StringBuilder();
    s.append("# Benchmarks\n\n");
    s.append("Produced by `mvn -B -q package -DskipTests && java -cp target/anilist-mal-sync.jar io.github.anilistmalsync.bench.Benchmark")
        .append(args.isBlank() ? "" : " " + args).append("` on ").append(Instant.now()).append(" (2 cores).\n\n");
    s.append(String.format(Locale.ROOT, "Rate limits scaled by %.0f: AniList %.0f requests/minute (429 with Retry-After past it), MAL %.0f/second. "
        + "The service runs as its own process with the Dockerfile's JVM flags (`%s`)"
        + (archive == null ? "" : " and an archive of the app's classes recorded by a training start of the demo") + ". Sample lists per side and type: 5%% of pairs differ, "
        + "3%% only on each side, 1%% unmappable on each side.%n%n", scale, 30 * scale, scale, String.join(" ", JVM_FLAGS)));
    s.append("| entries | scenario | requests (by kind) | minimum | ratio | sync wall time | rate-limit bound | ratio | 429/403 | peak RSS (anonymous) | CPU | lists agree |\n");
    s.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Result r : results) {
      long total = r.requests().values().stream().mapToLong(Long::longValue).sum();
      s.append(String.format(Locale.ROOT, "| %d | %s | %d (%s) | %d | %.3f | %.1f s | %.1f s | %.2f | %d | %d MB (%d MB) | %.1f s | %s |%n",
          r.size(), r.scenario(), total, r.requests().toString().replaceAll("[{}]", "").replace("=", " "), r.minimum(),
          (double) total / r.minimum(), r.wallSeconds(), r.boundSeconds(), r.wallSeconds() / r.boundSeconds(), r.throttled(),
          r.peakRssKb() / 1024, r.peakAnonKb() / 1024, r.cpuSeconds(), r.agree() ? "yes" : "NO"));
    }
    s.append("\nTime from process start to the dashboard answering: ").append(String.join("; ", ready)).append(".\n\n");
    s.append("The minimum is 1 Viewer + AniList list chunks (500 entries) + MAL list pages (1,000) + ⌈MAL-only entries not yet looked up ÷ 50⌉ "
        + "lookups per type + ⌈MAL-only entries found on AniList ÷ 50⌉ checks per type that the user holds no hidden AniList entry for them "
        + "before they are created + ⌈paired AniList media missing from the list ÷ 50⌉ deletion checks per type (none in these scenarios: "
        + "nothing is missing) + one write per entry that needed a change (the run's own count of created, updated and deleted entries). The bound is the "
        + "larger of the two services' request counts divided by their rates: both are paced in parallel.\n");
    return s.toString();
  }

  // ---- live sync: what an idle hour of polling costs ------------------------------------------------------------

  /** One size's idle polling: polls seen and the requests they sent, per service. */
  record Idle(int size, double windowSeconds, long aniListPolls, long aniListRequests, long malPolls, long malRequests, long writes,
              long rssKb, long anonKb, long threads, long peakThreads, long readyMs, String nmt) {}

  private final List<Idle> idle = new ArrayList<>();
  /** How many whole polls the idle service is watched for, at the shortest interval the config allows. */
  static final int IDLE_POLLS = 4;
  static final int IDLE_LIVE_SECONDS = 15;

  /**
   * The service as it runs ({@code run}, not {@code --once}) with lists already in sync and nothing edited: after its
   * start-up sync, every request the fakes receive in the window is a live poll's. Live polls are not sped up by the
   * scale (the interval's floor is 15 s), so the hour is the measured requests per poll times the polls of an hour at
   * the default 60 s.
   */
  private Idle idlePolling(int size, Path dir, FakeAniList aniList, FakeMal mal, boolean withLatency) throws Exception {
    Path config = dir.resolve("config.yaml");
    String original = Files.readString(config);
    Files.writeString(config, original.replace("sync:\n  interval: 100000", "sync:\n  interval: 100000\n  live_seconds: " + IDLE_LIVE_SECONDS));
    Path log = dir.resolve("idle.log");
    List<String> command = javaCommand(true);
    command.addAll(List.of("-jar", jar.toString(), "run", "--data-dir", dir.toString()));
    long launched = System.nanoTime();
    Process p = service(command).redirectOutput(log.toFile()).start();
    try {
      long readyMs = awaitReady(dir, launched);
      long until = System.nanoTime() + 180_000_000_000L;
      long peakThreads = 0;
      while (p.isAlive() && System.nanoTime() < until && !RUN_DONE.matcher(Files.readString(log)).find()) {
        peakThreads = Math.max(peakThreads, procStatus(p.pid(), "Threads"));
        Thread.sleep(100);
      }
      // whole polls only: start just after one poll's requests were answered, end just after the last one's
      while (p.isAlive() && System.nanoTime() < until && polls(aniList) == 0) Thread.sleep(50);
      Thread.sleep(2_000);
      aniList.clearLog();
      mal.clearLog();
      long started = System.nanoTime();
      while (p.isAlive() && System.nanoTime() < until && polls(aniList) < IDLE_POLLS) {
        peakThreads = Math.max(peakThreads, procStatus(p.pid(), "Threads"));
        Thread.sleep(50);
      }
      Thread.sleep(2_000);
      double window = (System.nanoTime() - started) / 1e9;
      long rssKb = procStatus(p.pid(), "VmRSS");
      long anonKb = procStatus(p.pid(), "RssAnon");
      long threads = procStatus(p.pid(), "Threads");
      String nmt = JVM_FLAGS.stream().anyMatch(f -> f.startsWith("-XX:NativeMemoryTracking")) ? nativeMemory(p.pid()) : null;
      List<RecordedRequest> a = aniList.requests();
      List<RecordedRequest> m = mal.requests();
      long aniPolls = a.stream().filter(r -> r.body() != null && r.body().contains("UPDATED_TIME_DESC")).count();
      long malPolls = m.stream().filter(r -> r.query() != null && r.query().contains("sort=list_updated_at")).count();
      long writes = aniList.writes() + mal.writes();
      System.out.printf(Locale.ROOT, "%d idle: %d AniList requests in %d polls, %d MAL requests (%d change pages), %d writes; "
          + "ready %d ms, RSS %d MB (anonymous %d MB), %d threads (peak %d)%n",
          size, a.size(), aniPolls, m.size(), malPolls, writes, readyMs, rssKb / 1024, anonKb / 1024, threads, peakThreads);
      if (nmt != null) System.out.println(nmt);
      if (withLatency) latency = editsOneByOne(size, aniList, mal);
      return new Idle(size, window, aniPolls, a.size(), malPolls, m.size(), writes, rssKb, anonKb, threads, peakThreads, readyMs, nmt);
    } finally {
      p.destroy();
      p.waitFor();
      Files.writeString(config, original);
    }
  }

  /** Milliseconds from {@code launched} to the dashboard's /health/live answering 200 (-1: not within a minute). */
  private static long awaitReady(Path dir, long launched) throws Exception {
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
  private static String nativeMemory(long pid) {
    try {
      Process j = new ProcessBuilder("jcmd", String.valueOf(pid), "VM.native_memory", "summary").redirectErrorStream(true).start();
      String out = new String(j.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      j.waitFor();
      return out;
    } catch (IOException | InterruptedException e) {
      return "jcmd: " + e;
    }
  }

  private static long polls(FakeAniList aniList) {
    return aniList.requests().stream().filter(r -> r.body() != null && r.body().contains("UPDATED_TIME_DESC")).count();
  }

  private static final Pattern RUN_DONE = Pattern.compile("run \\S+: (ok|failed|refused|needsSignIn)");

  private String idleReport() {
    if (idle.isEmpty()) return "";
    StringBuilder s = new StringBuilder("\n## Live sync: an idle hour\n\n");
    s.append("The service runs as it does in production (`run`, with `sync.live_seconds: ").append(IDLE_LIVE_SECONDS)
        .append("`, the shortest allowed) on lists already in sync, with nothing edited, for ").append(IDLE_POLLS)
        .append(" whole polls after its start-up sync; every request the fakes receive in that window is counted. Polls are not sped up by the "
            + "scale, so the idle hour is requests per poll × 60 polls (the default `sync.live_seconds: 60`). Target: ≤ 1 AniList request per "
            + "poll for both types and ≤ 1 MAL request per type per poll — 60 AniList and 120 MAL requests an hour, under 4% of either "
            + "budget (AniList 1,800 an hour at 30 a minute, MAL 3,600 at 1 a second). "
            + "A poll re-reads its watermark's own second (several edits can share it) on its first page, and pages further only while a "
            + "page's oldest entry is newer than the watermark, or the page ends in the watermark's second with an entry of it not read "
            + "before (`client/ChangesSince`): so MAL's manga, whose newest second holds the 25 entries scenario 3 stamped at one instant "
            + "(a whole page: MAL's page is 25), costs one request a poll like every other type.\n\n");
    s.append("| entries | polls | AniList requests | per poll | MAL requests | per poll (both types) | writes | idle hour at 60 s: AniList | share of 1,800 | MAL | share of 3,600 |\n");
    s.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Idle i : idle) {
      double aPer = i.aniListPolls() == 0 ? Double.NaN : (double) i.aniListRequests() / i.aniListPolls();
      double mPer = i.aniListPolls() == 0 ? Double.NaN : (double) i.malRequests() / i.aniListPolls();
      s.append(String.format(Locale.ROOT, "| %d | %d | %d | %.2f | %d | %.2f | %d | %.0f | %.1f%% | %.0f | %.1f%% |%n", i.size(), i.aniListPolls(),
          i.aniListRequests(), aPer, i.malRequests(), mPer, i.writes(), aPer * 60, aPer * 60 / 1800 * 100, mPer * 60, mPer * 60 / 3600 * 100));
    }
    return s.toString();
  }

  // ---- live sync: how soon a single edit arrives ------------------------------------------------------------------

  /** The size the latency is measured at (the largest of the run: it is the slowest to read). */
  private int lastSize;
  private Latency latency;
  static final int LATENCY_EDITS = 20;

  /** Twenty single edits: seconds from each edit to our write of it on the other side, and what went wrong. */
  record Latency(int size, List<Double> seconds, int arrived, long throttled) {}

  /**
   * With the service polling (the idle window's process), twenty single edits, one at a time at random moments (0-15 s
   * apart), alternately on AniList (anime) and on MAL (manga): one more episode or chapter on a pair in progress. Each
   * latency runs from the edit (its own timestamp on its site is that second) to the fake of the other side answering
   * our write of it; an edit that has not arrived within two minutes counts as lost.
   */
  private Latency editsOneByOne(int size, FakeAniList aniList, FakeMal mal) throws Exception {
    java.util.Random random = new java.util.Random(16);
    List<AniListEntry> animeOnAniList = aniList.entries(MediaType.ANIME).stream()
        .filter(e -> e.media().idMal() != null && mal.entry(MediaType.ANIME, e.media().idMal()) != null && !e.isPrivate()
            && !e.hiddenFromStatusLists() && e.status() == io.github.anilistmalsync.model.AniListStatus.CURRENT
            && (e.media().progressTotal() == null || e.progress() + 2 < e.media().progressTotal()))
        .limit(LATENCY_EDITS).toList();
    List<MalEntry> mangaOnMal = mal.entries(MediaType.MANGA).stream()
        .filter(e -> aniList.entryByMalId(MediaType.MANGA, e.id()).map(a -> !a.isPrivate() && !a.hiddenFromStatusLists()).orElse(false)
            && e.status() == io.github.anilistmalsync.model.MalStatus.IN_PROGRESS
            && (e.progressTotal() == null || e.progress() + 2 < e.progressTotal()))
        .limit(LATENCY_EDITS).toList();
    aniList.clearLog();
    mal.clearLog();
    List<Double> seconds = new ArrayList<>();
    int arrived = 0;
    for (int i = 0; i < LATENCY_EDITS; i++) {
      Thread.sleep(random.nextInt(15_000));
      boolean onAniList = i % 2 == 0;
      long editedAt = System.nanoTime();
      java.util.function.LongSupplier writtenAt;
      if (onAniList) {
        // a small list has fewer candidates than edits: take each again, as it is now, one back down
        long id = animeOnAniList.get((i / 2) % animeOnAniList.size()).id();
        int step = (i / 2) / animeOnAniList.size() % 2 == 0 ? 1 : -1;
        AniListEntry e = aniList.entries(MediaType.ANIME).stream().filter(x -> x.id() == id).findFirst().orElseThrow();
        aniList.putEntry(new AniListEntry(e.id(), e.media(), e.status(), e.score100(), e.scoreInUserFormat(), e.progress() + step,
            e.progressVolumes(), e.repeat(), e.isPrivate(), e.hiddenFromStatusLists(), e.notes(), e.customLists(), e.startedAt(),
            e.completedAt(), Instant.now().getEpochSecond(), e.createdAt()));
        String path = "/v2/anime/" + e.media().idMal().value() + "/my_list_status";
        writtenAt = () -> mal.requests().stream().filter(r -> r.path().equals(path) && r.status() == 200 && r.atNanos() >= editedAt)
            .mapToLong(RecordedRequest::atNanos).findFirst().orElse(-1);
      } else {
        int step = (i / 2) / mangaOnMal.size() % 2 == 0 ? 1 : -1;
        MalEntry e = mal.entry(MediaType.MANGA, mangaOnMal.get((i / 2) % mangaOnMal.size()).id());
        int expected = e.progress() + step;
        mal.putEntry(new MalEntry(e.id(), e.type(), e.title(), e.mediaType(), e.progressTotal(), e.volumesTotal(), e.nsfw(), e.status(),
            e.score(), expected, e.volumesRead(), e.repeating(), e.repeatCount(), e.startDate(), e.finishDate(), e.comments(),
            e.tags(), e.priority(), Instant.now()));
        writtenAt = () -> aniList.requests().stream().filter(r -> "SaveMediaListEntry".equals(r.kind()) && r.status() == 200
                && r.atNanos() >= editedAt && aniList.entryByMalId(MediaType.MANGA, e.id()).map(a -> a.progress() == expected).orElse(false))
            .mapToLong(RecordedRequest::atNanos).findFirst().orElse(-1);
      }
      long until = editedAt + 120_000_000_000L;
      long at = -1;
      while (System.nanoTime() < until && (at = writtenAt.getAsLong()) < 0) Thread.sleep(100);
      if (at >= 0) {
        arrived++;
        seconds.add((at - editedAt) / 1e9);
      }
    }
    long throttled = aniList.requests().stream().filter(r -> r.status() == 429).count()
        + mal.requests().stream().filter(r -> r.status() == 429 || r.status() == 403).count();
    System.out.printf(Locale.ROOT, "%d latency: %d of %d edits arrived, %s%n", size, arrived, LATENCY_EDITS, seconds);
    return new Latency(size, seconds, arrived, throttled);
  }

  private String latencyReport() {
    if (latency == null) return "";
    List<Double> sorted = new ArrayList<>(latency.seconds());
    java.util.Collections.sort(sorted);
    double p50 = sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.ceil(0.50 * sorted.size()) - 1);
    double p95 = sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1);
    StringBuilder s = new StringBuilder("\n## Live sync: twenty single edits\n\n");
    s.append(String.format(Locale.ROOT, "With the service polling every %d s (the shortest allowed; the default 60 s would take twenty minutes), "
        + "at %d entries per side and type, twenty edits one at a time at random moments 0-15 s apart, alternately on AniList (anime) "
        + "and MAL (manga); each latency runs from the edit to the other site answering our write of it. Target at this pacing: "
        + "p95 ≤ live_seconds + 15 s = %d s, zero 429s, every edit arrived. Rate limits scaled as above (writes are paced by them; "
        + "polls are not scaled).%n%n", IDLE_LIVE_SECONDS, latency.size(), IDLE_LIVE_SECONDS + 15));
    s.append("| entries | edits | arrived | p50 | p95 | max | 429/403 |\n|---|---|---|---|---|---|---|\n");
    s.append(String.format(Locale.ROOT, "| %d | %d | %d | %.1f s | %.1f s | %.1f s | %d |%n", latency.size(), LATENCY_EDITS, latency.arrived(),
        p50, p95, sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1), latency.throttled()));
    return s.toString();
  }

  // ---- footprint: what the process holds ------------------------------------------------------------------------

  private String footprintReport(List<Result> results) {
    if (idle.isEmpty()) return "";
    StringBuilder s = new StringBuilder("\n## Footprint\n\n");
    s.append("Measured on the service process itself (`/proc/PID/status`: VmRSS, RssAnon, VmHWM, Threads), run with the Dockerfile's "
        + "flags and environment (`MALLOC_ARENA_MAX=2`). *Ready* is from launching `java` to the dashboard's "
        + "`/health/live` answering 200 (the web verticle is deployed last, so every verticle is up; there is no separate "
        + "`/health/ready`). *Idle* is at the end of the idle window above: the start-up full sync, then four 15 s polls (an hour's "
        + "minutes scaled by 20 is 3 minutes; ten scaled minutes is 30 s). *Peak* is VmHWM over the first sync (scenario 1). "
        + "Targets: idle RSS ≤ 80 MB (at 2,000), peak ≤ 96 MB (at 5,000), threads ≤ 24, ready ≤ 1.0 s.\n\n");
    s.append("| entries | ready | idle RSS (anonymous) | idle threads | most threads seen | peak RSS in the first sync (anonymous) |\n");
    s.append("|---|---|---|---|---|---|\n");
    for (Idle i : idle) {
      Result first = results.stream().filter(r -> r.size() == i.size() && r.scenario().startsWith("1.")).findFirst().orElse(null);
      s.append(String.format(Locale.ROOT, "| %d | %d ms | %d MB (%d MB) | %d | %d | %s |%n", i.size(), i.readyMs(), i.rssKb() / 1024,
          i.anonKb() / 1024, i.threads(), i.peakThreads(),
          first == null ? "—" : (first.peakRssKb() / 1024) + " MB (" + (first.peakAnonKb() / 1024) + " MB)"));
    }
    return s.toString();
  }
}
