package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.anilist.AniListVerticle;
import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.client.TokenSource;
import io.github.anilistmalsync.client.Upstream;
import io.github.anilistmalsync.config.AppConfig;
import io.github.anilistmalsync.mal.MalVerticle;
import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.model.ScoreFormat;
import io.github.anilistmalsync.sandbox.FakeAniList;
import io.github.anilistmalsync.sandbox.FakeMal;
import io.github.anilistmalsync.sandbox.SampleLists;
import io.github.anilistmalsync.sync.core.Agreement;
import io.github.anilistmalsync.sync.core.Convert;
import io.github.anilistmalsync.sync.core.NeutralState;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real client verticles and coordinator, wired over the bus to a fake AniList and a fake MAL on loopback, with
 * sample lists on both. Tokens are fixed (the token service has its own tests); everything else is the service.
 */
final class SyncHarness implements AutoCloseable {
  final Vertx vertx;
  final FakeAniList aniList;
  final FakeMal mal;
  final Path dataDir;
  final ScoreFormat format;

  SyncHarness(Vertx vertx, Path dataDir, ScoreFormat format) {
    this.vertx = vertx;
    this.dataDir = dataDir;
    this.format = format;
    this.aniList = new FakeAniList(vertx).user(new FakeAniList.User(1, "demo", format));
    this.mal = new FakeMal(vertx);
  }

  SyncHarness start(JsonObject extraSync) {
    return start(extraSync, new JsonObject());
  }

  /** As {@link #start(JsonObject)}, with {@code extraConfig} merged (deeply) into the service's config. */
  SyncHarness start(JsonObject extraSync, JsonObject extraConfig) {
    aniList.start(0).await();
    mal.start(0).await();
    JsonObject sync = new JsonObject().put("mode", "bidirectional").mergeIn(extraSync);
    JsonObject conf = new JsonObject()
        .put(AppConfig.DATA_DIR, dataDir.toString())
        .put("anilist", new JsonObject().put("api_url", aniList.apiUrl()).put("requests_per_minute", 60_000))
        .put("myanimelist", new JsonObject().put("api_url", mal.apiUrl()).put("requests_per_second", 1_000))
        .put("sync", sync)
        .mergeIn(extraConfig, true);
    Upstream.Options quick = Upstream.Options.defaults().withBackoff(Duration.ofMillis(10), Duration.ofMillis(100)).withDeadline(Duration.ofSeconds(2))
        .withBreaker(8, Duration.ofMillis(200));
    DeploymentOptions options = new DeploymentOptions().setConfig(conf);
    vertx.deployVerticle(new AniListVerticle(TokenSource.fixed("a-token"), quick), options).await();
    vertx.deployVerticle(new MalVerticle(TokenSource.fixed("m-token"), quick), options).await();
    coordinatorOptions = options;
    coordinator = vertx.deployVerticle(new SyncCoordinatorVerticle(Clock.systemUTC(), false), options).await();
    return this;
  }

  /** Seeds both fakes with {@code count} sample items per type. */
  SyncHarness seed(int count, long seed) {
    Instant now = Instant.now();
    for (MediaType type : MediaType.values()) {
      for (SampleLists.Item item : SampleLists.generate(type, count, SampleLists.Mix.realistic(), seed, now)) {
        SampleLists.seed(item, aniList, mal);
        if (item.aniList() != null) aniList.putEntry(scoreInFormat(item.aniList()));
      }
    }
    return this;
  }

  private AniListEntry scoreInFormat(AniListEntry e) {
    int stored = format.entered(e.score100());
    return new AniListEntry(e.id(), e.media(), e.status(), stored, format.display(stored), e.progress(), e.progressVolumes(), e.repeat(),
        e.isPrivate(), e.hiddenFromStatusLists(), e.notes(), e.customLists(), e.startedAt(), e.completedAt(), e.updatedAt(), e.createdAt());
  }

  /**
   * Undeploys every verticle the test deployed, so the state store is closed before JUnit deletes the data dir (the
   * test's Vert.x is closed after that), then stops both fakes.
   */
  @Override
  public void close() {
    for (String id : java.util.Set.copyOf(vertx.deploymentIDs())) vertx.undeploy(id).await();
    aniList.stop().await();
    mal.stop().await();
  }

  /** Runs one sync to its end and answers its summary. */
  JsonObject sync(JsonObject trigger) {
    return vertx.eventBus().<JsonObject>request(Addresses.SYNC_TRIGGER, trigger.copy().put("wait", true),
        new DeliveryOptions().setSendTimeout(120_000)).await().body();
  }

  JsonObject sync() {
    return sync(new JsonObject());
  }

  long writes() {
    return aniList.writes() + mal.writes();
  }

  /** Runs one more sync with both fakes' logs cleared and answers the writes it made (zero once the lists agree). */
  long writesOfNextSync() {
    aniList.clearLog();
    mal.clearLog();
    sync();
    return writes();
  }

  /** The pairs on both fakes whose synced fields differ, described for an assertion message. */
  List<String> disagreements() {
    List<String> out = new ArrayList<>();
    for (MediaType type : MediaType.values()) {
      out.addAll(Agreement.disagreements(aniList.entries(type), mal.entries(type)));
    }
    return out;
  }

  /** Every entry on both fakes as its synced fields, keyed by side, type and id: what undo must restore. */
  Map<String, NeutralState> snapshot() {
    Map<String, NeutralState> out = new java.util.TreeMap<>();
    for (MediaType type : MediaType.values()) {
      aniList.entries(type).forEach(e -> out.put("anilist " + type + " " + e.media().id().value(), Convert.fromAniList(e)));
      mal.entries(type).forEach(e -> out.put("mal " + type + " " + e.id().value(), Convert.fromMal(e)));
    }
    return out;
  }

  // ---- live sync ------------------------------------------------------------------------------------------------

  private DeploymentOptions coordinatorOptions;
  private String coordinator;

  /** Runs one live poll to its end and answers its result (idle, quiet, synced or failed). */
  JsonObject poll() {
    return poll(new JsonObject());
  }

  JsonObject poll(JsonObject body) {
    return vertx.eventBus().<JsonObject>request(Addresses.SYNC_LIVE_POLL, body,
        new DeliveryOptions().setSendTimeout(120_000)).await().body();
  }

  /** Stops the coordinator and starts a new one on the same data dir, as a restart of the service would. */
  void restartCoordinator() {
    vertx.undeploy(coordinator).await();
    coordinator = vertx.deployVerticle(new SyncCoordinatorVerticle(Clock.systemUTC(), false), coordinatorOptions).await();
  }

  /** As {@link #restartCoordinator()}, but as the service runs: on its schedule, polling every {@code liveEvery}. */
  void restartCoordinatorPolling(Duration liveEvery) {
    vertx.undeploy(coordinator).await();
    coordinator = vertx.deployVerticle(new SyncCoordinatorVerticle(Clock.systemUTC(), true, liveEvery), coordinatorOptions).await();
  }
}
