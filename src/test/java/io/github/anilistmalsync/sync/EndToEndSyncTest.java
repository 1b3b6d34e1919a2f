package io.github.anilistmalsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.model.ScoreFormat;
import io.github.anilistmalsync.sandbox.Fault;
import io.github.anilistmalsync.sync.core.Convert;
import io.github.anilistmalsync.sync.core.NeutralState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Whole syncs over real HTTP against both fakes, through the bus, the coordinator and the state store. */
@ExtendWith(VertxExtension.class)
class EndToEndSyncTest {
  private SyncHarness harness;

  @AfterEach
  void stop() {
    if (harness != null) harness.close();
  }

  private SyncHarness started(Vertx vertx, Path dir, ScoreFormat format, JsonObject sync) {
    harness = new SyncHarness(vertx, dir, format).seed(300, 7).start(sync);
    return harness;
  }

  @Test
  void beforeWritingTheRunBacksUpBothWholeListsOfEachTypeAsJson(Vertx vertx, @TempDir Path dir) throws Exception {
    SyncHarness h = started(vertx, dir, ScoreFormat.POINT_10, new JsonObject());
    java.util.Map<MediaType, Integer> aniListBefore = new java.util.EnumMap<>(MediaType.class);
    java.util.Map<MediaType, Integer> malBefore = new java.util.EnumMap<>(MediaType.class);
    for (MediaType type : MediaType.values()) {
      aniListBefore.put(type, h.aniList.entries(type).size());
      malBefore.put(type, h.mal.entries(type).size());
    }
    String runId = h.sync().getString("runId");
    java.util.List<Path> files;
    try (var list = java.nio.file.Files.list(dir.resolve("backups"))) {
      files = list.toList();
    }
    assertThat(files).hasSize(2);
    for (Path file : files) {
      JsonObject backup = new JsonObject(java.nio.file.Files.readString(file));
      MediaType type = MediaType.parse(backup.getString("type"));
      assertThat(backup.getString("runId")).isEqualTo(runId);
      assertThat(backup.getJsonArray("anilist")).hasSize(aniListBefore.get(type));
      assertThat(backup.getJsonArray("mal")).hasSize(malBefore.get(type));
      assertThat(AniListEntry.fromJson(backup.getJsonArray("anilist").getJsonObject(0)).media().type()).isEqualTo(type);
    }
  }

  @Test
  void afterOneSyncBothSidesAgreeAndTheNextSyncWritesNothing(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = started(vertx, dir, ScoreFormat.POINT_10_DECIMAL, new JsonObject());
    assertThat(h.disagreements()).isNotEmpty();
    JsonObject first = h.sync();
    assertThat(first.getString("result")).isEqualTo("ok");
    assertThat(h.writes()).isPositive();
    assertThat(h.disagreements()).isEmpty();
    assertThat(first.getJsonObject("types").getJsonObject("ANIME").getInteger("unmapped")).isPositive();

    h.aniList.clearLog();
    h.mal.clearLog();
    JsonObject second = h.sync();
    assertThat(second.getString("result")).isEqualTo("ok");
    assertThat(h.writes()).isZero();

    String metrics = io.github.anilistmalsync.metrics.ServiceMetrics.scrape();
    assertThat(metrics).contains("sync_runs_total{result=\"ok\"}")
        .contains("sync_fields_changed_total{field=")
        .contains("sync_api_requests_total{kind=\"list\",outcome=\"ok\",service=\"mal\"}")
        .contains("sync_run_duration_seconds_count");
  }

  @Test
  void anEditOnOneSideArrivesOnTheOtherWithExactlyOneWrite(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = started(vertx, dir, ScoreFormat.POINT_10, new JsonObject());
    h.sync();
    MalEntry target = h.mal.entries(MediaType.MANGA).stream()
        .filter(e -> h.aniList.entryByMalId(MediaType.MANGA, e.id()).isPresent()).findFirst().orElseThrow();
    MalEntry edited = new MalEntry(target.id(), target.type(), target.title(), target.mediaType(), target.progressTotal(), target.volumesTotal(),
        target.nsfw(), target.status(), target.score() == 10 ? 3 : target.score() + 1, target.progress(), target.volumesRead(), target.repeating(),
        target.repeatCount(), target.startDate(), target.finishDate(), "changed on MAL", target.tags(), target.priority(), Instant.now().plusSeconds(5));
    h.mal.putEntry(edited);
    h.aniList.clearLog();
    h.mal.clearLog();
    h.sync();
    assertThat(h.aniList.writes()).isEqualTo(1);
    assertThat(h.mal.writes()).isZero();
    AniListEntry after = h.aniList.entryByMalId(MediaType.MANGA, target.id()).orElseThrow();
    assertThat(after.notes()).isEqualTo("changed on MAL");
    assertThat(Convert.toMalScore(after.score100())).isEqualTo(edited.score());
  }

  @Test
  void aDryRunSendsNoWrite(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = started(vertx, dir, ScoreFormat.POINT_100, new JsonObject());
    JsonObject result = h.sync(new JsonObject().put("dryRun", true));
    assertThat(result.getBoolean("dryRun")).isTrue();
    assertThat(result.getJsonObject("types").getJsonObject("ANIME").getInteger("updated")).isPositive();
    assertThat(h.writes()).isZero();
  }

  @Test
  void aFailureMidApplyIsFinishedByTheNextRun(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = started(vertx, dir, ScoreFormat.POINT_5, new JsonObject());
    h.mal.inject(Fault.status(500, "{}").when(r -> !r.path().endsWith("list")), 30);
    JsonObject broken = h.sync();
    assertThat(broken.getString("result")).isEqualTo("failed");
    assertThat(h.disagreements()).isNotEmpty();
    h.mal.calm();
    vertx.timer(300).await();  // the MAL circuit breaker, opened by the failures, lets requests through again
    JsonObject fixed = h.sync();
    assertThat(fixed.getString("result")).isEqualTo("ok");
    assertThat(h.disagreements()).isEmpty();
    assertThat(h.writesOfNextSync()).isZero();
  }

  @Test
  void undoRestoresEverySyncedFieldAndTheNextSyncWritesNothing(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = started(vertx, dir, ScoreFormat.POINT_10, new JsonObject());
    java.util.Map<String, NeutralState> before = h.snapshot();
    JsonObject first = h.sync();
    assertThat(first.getString("result")).isEqualTo("ok");
    assertThat(h.snapshot()).isNotEqualTo(before);

    JsonObject undone = vertx.eventBus().<JsonObject>request(io.github.anilistmalsync.bus.Addresses.SYNC_UNDO, new JsonObject(),
        new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(120_000)).await().body();
    assertThat(undone.getString("undoOf")).isEqualTo(first.getString("runId"));
    assertThat(undone.getString("result")).isEqualTo("ok");
    assertThat(h.snapshot()).isEqualTo(before);

    assertThat(h.writesOfNextSync()).isZero();
  }

  @Test
  void undoSkipsAnEntryChangedAfterTheRun(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = started(vertx, dir, ScoreFormat.POINT_10, new JsonObject());
    h.sync();
    MalEntry target = h.mal.entries(MediaType.ANIME).get(0);
    h.mal.putEntry(new MalEntry(target.id(), target.type(), target.title(), target.mediaType(), target.progressTotal(), target.volumesTotal(),
        target.nsfw(), target.status(), target.score(), target.progress(), target.volumesRead(), target.repeating(), target.repeatCount(),
        target.startDate(), target.finishDate(), "edited after the sync", target.tags(), target.priority(), Instant.now()));
    h.sync();  // carries the edit to AniList: the run to undo
    h.aniList.putEntry(withNotes(h.aniList.entryByMalId(MediaType.ANIME, target.id()).orElseThrow(), "edited again on AniList"));
    JsonObject undone = vertx.eventBus().<JsonObject>request(io.github.anilistmalsync.bus.Addresses.SYNC_UNDO, new JsonObject()).await().body();
    assertThat(undone.getJsonArray("errors").encode()).contains("changed after the run");
    assertThat(h.aniList.entryByMalId(MediaType.ANIME, target.id()).orElseThrow().notes()).isEqualTo("edited again on AniList");
  }

  @Test
  void aDeadTokenStopsTheRunBeforeAnyWriteAndTheServiceStaysUp(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = started(vertx, dir, ScoreFormat.POINT_10, new JsonObject());
    h.mal.tokenValidator(token -> false);  // MAL refuses the token, and a fixed token cannot be refreshed
    JsonObject result = h.sync();
    assertThat(result.getString("result")).isEqualTo("needsSignIn");
    assertThat(result.getJsonArray("errors").encode()).contains("needs sign-in", "MyAnimeList").doesNotContain("m-token");
    assertThat(h.writes()).isZero();
    assertThat(vertx.eventBus().<JsonObject>request(io.github.anilistmalsync.bus.Addresses.SYNC_PING, new JsonObject()).await().body()
        .getString("verticle")).isEqualTo("sync");
    h.mal.tokenValidator(token -> true);
    assertThat(h.sync().getString("result")).isEqualTo("ok");
    assertThat(h.disagreements()).isEmpty();
  }

  private static AniListEntry withNotes(AniListEntry e, String notes) {
    return new AniListEntry(e.id(), e.media(), e.status(), e.score100(), e.scoreInUserFormat(), e.progress(), e.progressVolumes(), e.repeat(),
        e.isPrivate(), e.hiddenFromStatusLists(), notes, e.customLists(), e.startedAt(), e.completedAt(), e.updatedAt() + 10, e.createdAt());
  }
}
