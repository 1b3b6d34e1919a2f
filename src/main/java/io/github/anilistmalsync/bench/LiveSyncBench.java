package io.github.anilistmalsync.bench;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sandbox.FakeAniList;
import io.github.anilistmalsync.sandbox.FakeMal;
import io.github.anilistmalsync.sandbox.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The benchmark's live-sync measurements and their tables in BENCHMARKS.md: what an idle hour of polling costs (each
 * size), and how soon twenty single edits arrive (at the largest size). It may touch the service processes it starts
 * ({@link ServiceLauncher}), the fakes' lists and request logs, and the size's config file (restored after).
 */
final class LiveSyncBench {
  private final ServiceLauncher launcher;

  /** {@code lastSize}: the size the latency is measured at. */
  LiveSyncBench(ServiceLauncher launcher, int lastSize) {
    this.launcher = launcher;
    this.lastSize = lastSize;
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
    List<String> command = launcher.javaCommand(true);
    command.addAll(List.of("-jar", launcher.jar().toString(), "run", "--data-dir", dir.toString()));
    long launched = System.nanoTime();
    Process p = ServiceLauncher.service(command).redirectOutput(log.toFile()).start();
    try {
      long readyMs = ServiceLauncher.awaitReady(dir, launched);
      long until = System.nanoTime() + 180_000_000_000L;
      long peakThreads = 0;
      while (p.isAlive() && System.nanoTime() < until && !RUN_DONE.matcher(Files.readString(log)).find()) {
        peakThreads = Math.max(peakThreads, ServiceLauncher.procStatus(p.pid(), "Threads"));
        Thread.sleep(100);
      }
      // whole polls only: start just after one poll's requests were answered, end just after the last one's
      while (p.isAlive() && System.nanoTime() < until && polls(aniList) == 0) Thread.sleep(50);
      Thread.sleep(2_000);
      aniList.clearLog();
      mal.clearLog();
      long started = System.nanoTime();
      while (p.isAlive() && System.nanoTime() < until && polls(aniList) < IDLE_POLLS) {
        peakThreads = Math.max(peakThreads, ServiceLauncher.procStatus(p.pid(), "Threads"));
        Thread.sleep(50);
      }
      Thread.sleep(2_000);
      double window = (System.nanoTime() - started) / 1e9;
      long rssKb = ServiceLauncher.procStatus(p.pid(), "VmRSS");
      long anonKb = ServiceLauncher.procStatus(p.pid(), "RssAnon");
      long threads = ServiceLauncher.procStatus(p.pid(), "Threads");
      String nmt = Benchmark.JVM_FLAGS.stream().anyMatch(f -> f.startsWith("-XX:NativeMemoryTracking")) ? ServiceLauncher.nativeMemory(p.pid()) : null;
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

  private static long polls(FakeAniList aniList) {
    return aniList.requests().stream().filter(r -> r.body() != null && r.body().contains("UPDATED_TIME_DESC")).count();
  }

  private static final Pattern RUN_DONE = Pattern.compile("run \\S+: (ok|failed|refused|needsSignIn)");

  String idleReport() {
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
  private final int lastSize;
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

  String latencyReport() {
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

  /** One size's idle window (and, at the last size, the twenty edits within it). */
  void measure(int size, Path dir, FakeAniList aniList, FakeMal mal) throws Exception {
    idle.add(idlePolling(size, dir, aniList, mal, size == lastSize));
  }

  /** Each size's idle window, for the footprint table. */
  List<Idle> idle() {
    return idle;
  }
}
