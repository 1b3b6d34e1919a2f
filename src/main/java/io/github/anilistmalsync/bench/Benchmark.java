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
 * The live-sync measurements and their tables are {@link LiveSyncBench}'s; how a service process is started and read,
 * {@link ServiceLauncher}'s.
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
  private final ServiceLauncher launcher;
  private final LiveSyncBench live;

  /** {@code lastSize}: the largest size of the run, where the live-sync latency is measured. */
  Benchmark(double scale, Path jar, int lastSize) {
    this.scale = scale;
    this.launcher = new ServiceLauncher(jar);
    this.live = new LiveSyncBench(launcher, lastSize);
  }

  public static void main(String[] args) throws Exception {
    double scale = args.length > 0 ? Double.parseDouble(args[0]) : 20;
    List<Integer> sizes = args.length > 1 ? java.util.Arrays.stream(args[1].split(",")).map(Integer::valueOf).toList() : List.of(100, 1000, 2000, 5000);
    Path jar = Path.of(Benchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Benchmark bench = new Benchmark(scale, jar, sizes.get(sizes.size() - 1));
    List<Result> results = new ArrayList<>();
    List<String> ready = new ArrayList<>();
    if (Boolean.getBoolean("bench.archive")) bench.launcher.trainArchive();
    for (int size : sizes) {
      bench.runSize(size, results, ready);
    }
    Files.writeString(Path.of("BENCHMARKS.md"), bench.report(results, ready, String.join(" ", args)) + bench.live.idleReport() + bench.live.latencyReport()
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
        """.formatted(aniList.apiUrl(), 30 * scale, mal.apiUrl(), 1 * scale, ServiceLauncher.freePort(), ServiceLauncher.freePort()));
    Files.writeString(dir.resolve("tokens.json"), """
        {"version": 1, "tokens": {"anilist": {"access_token": "a", "expires_at": "2099-01-01T00:00:00Z"},
                                  "mal": {"access_token": "m", "refresh_token": "r", "expires_at": "2099-01-01T00:00:00Z"}}}""");

    results.add(scenario(size, "1. first sync", dir, aniList, mal, lookupRequests));
    results.add(scenario(size, "2. second sync", dir, aniList, mal, 0));
    editFifty(aniList, mal);
    results.add(scenario(size, "3. after 50 edits", dir, aniList, mal, 0));
    ready.add(size + " entries: " + launcher.readyMillis(dir, false) + " ms"
        + (!launcher.hasArchive() ? "" : " (with the archive of the app's classes: " + launcher.readyMillis(dir) + " ms)"));
    live.measure(size, dir, aniList, mal);
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
    List<String> command = launcher.javaCommand(true);
    command.addAll(List.of("-jar", launcher.jar().toString(), "run", "--once", "--data-dir", dir.toString()));
    Process p = ServiceLauncher.service(command).redirectOutput(log.toFile()).start();
    long peakKb = 0;
    long peakAnonKb = 0;
    double cpu = 0;
    while (p.isAlive()) {
      peakKb = Math.max(peakKb, ServiceLauncher.procStatus(p.pid(), "VmHWM"));
      peakAnonKb = Math.max(peakAnonKb, ServiceLauncher.procStatus(p.pid(), "RssAnon"));
      cpu = Math.max(cpu, ServiceLauncher.cpuSeconds(p.pid()));
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


  private String report(List<Result> results, List<String> ready, String args) {
    StringBuilder s = new StringBuilder();
    s.append("# Benchmarks\n\n");
    s.append("Produced by `mvn -B -q package -DskipTests && java -cp target/anilist-mal-sync.jar io.github.anilistmalsync.bench.Benchmark")
        .append(args.isBlank() ? "" : " " + args).append("` on ").append(Instant.now()).append(" (2 cores).\n\n");
    s.append(String.format(Locale.ROOT, "Rate limits scaled by %.0f: AniList %.0f requests/minute (429 with Retry-After past it), MAL %.0f/second. "
        + "The service runs as its own process with the Dockerfile's JVM flags (`%s`)"
        + (!launcher.hasArchive() ? "" : " and an archive of the app's classes recorded by a training start of the demo") + ". Sample lists per side and type: 5%% of pairs differ, "
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


  // ---- footprint: what the process holds ------------------------------------------------------------------------

  private String footprintReport(List<Result> results) {
    if (live.idle().isEmpty()) return "";
    StringBuilder s = new StringBuilder("\n## Footprint\n\n");
    s.append("Measured on the service process itself (`/proc/PID/status`: VmRSS, RssAnon, VmHWM, Threads), run with the Dockerfile's "
        + "flags and environment (`MALLOC_ARENA_MAX=2`). *Ready* is from launching `java` to the dashboard's "
        + "`/health/live` answering 200 (the web verticle is deployed last, so every verticle is up; there is no separate "
        + "`/health/ready`). *Idle* is at the end of the idle window above: the start-up full sync, then four 15 s polls (an hour's "
        + "minutes scaled by 20 is 3 minutes; ten scaled minutes is 30 s). *Peak* is VmHWM over the first sync (scenario 1). "
        + "Targets: idle RSS ≤ 80 MB (at 2,000), peak ≤ 96 MB (at 5,000), threads ≤ 24, ready ≤ 1.0 s.\n\n");
    s.append("| entries | ready | idle RSS (anonymous) | idle threads | most threads seen | peak RSS in the first sync (anonymous) |\n");
    s.append("|---|---|---|---|---|---|\n");
    for (LiveSyncBench.Idle i : live.idle()) {
      Result first = results.stream().filter(r -> r.size() == i.size() && r.scenario().startsWith("1.")).findFirst().orElse(null);
      s.append(String.format(Locale.ROOT, "| %d | %d ms | %d MB (%d MB) | %d | %d | %s |%n", i.size(), i.readyMs(), i.rssKb() / 1024,
          i.anonKb() / 1024, i.threads(), i.peakThreads(),
          first == null ? "—" : (first.peakRssKb() / 1024) + " MB (" + (first.peakAnonKb() / 1024) + " MB)"));
    }
    return s.toString();
  }
}
