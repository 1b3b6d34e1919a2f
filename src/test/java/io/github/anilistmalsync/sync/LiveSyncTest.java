package io.github.anilistmalsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.model.ScoreFormat;
import io.github.anilistmalsync.notify.NotificationVerticle;
import io.github.anilistmalsync.notify.WebhookReceiver;
import io.github.anilistmalsync.sandbox.Fault;
import io.github.anilistmalsync.sandbox.RecordedRequest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live sync over real HTTP: full sync, then polls (triggered over the bus, so no test waits for the interval), with
 * the edits made on the fakes as a user would make them on the two websites.
 */
@ExtendWith(VertxExtension.class)
class LiveSyncTest {
  private SyncHarness harness;

  @AfterEach
  void stop() {
    if (harness != null) harness.close();
  }

  /** Seeded, fully synced, and one poll done: every watermark is set, as after the service's first minute. */
  private SyncHarness synced(Vertx vertx, Path dir, JsonObject sync) {
    harness = new SyncHarness(vertx, dir, ScoreFormat.POINT_10).seed(120, 11).start(sync);
    assertThat(harness.sync().getString("result")).isEqualTo("ok");
    assertThat(harness.disagreements()).isEmpty();
    harness.poll();
    harness.aniList.clearLog();
    harness.mal.clearLog();
    return harness;
  }

  /** A synced pair to edit: on both sides, public, in progress with room for one more episode or chapter. */
  private AniListEntry pairToEdit(SyncHarness h, MediaType type, int skip) {
    return h.aniList.entries(type).stream()
        .filter(e -> e.media().idMal() != null && h.mal.entry(type, e.media().idMal()) != null)
        .filter(e -> !e.isPrivate() && !e.hiddenFromStatusLists() && e.status() == AniListStatus.CURRENT)
        .filter(e -> e.media().progressTotal() == null || e.progress() + 2 < e.media().progressTotal())
        .skip(skip).findFirst().orElseThrow();
  }

  /** The user marks one more episode (or chapter) watched on AniList. */
  private static AniListEntry oneMoreOnAniList(SyncHarness h, AniListEntry e) {
    AniListEntry edited = new AniListEntry(e.id(), e.media(), e.status(), e.score100(), e.scoreInUserFormat(), e.progress() + 1, e.progressVolumes(),
        e.repeat(), e.isPrivate(), e.hiddenFromStatusLists(), e.notes(), e.customLists(), e.startedAt(), e.completedAt(),
        Instant.now().getEpochSecond(), e.createdAt());
    h.aniList.putEntry(edited);
    return edited;
  }

  /** The user marks one more episode (or chapter) watched on MyAnimeList. */
  private static MalEntry oneMoreOnMal(SyncHarness h, MalEntry e) {
    MalEntry edited = new MalEntry(e.id(), e.type(), e.title(), e.mediaType(), e.progressTotal(), e.volumesTotal(), e.nsfw(), e.status(),
        e.score(), e.progress() + 1, e.volumesRead(), e.repeating(), e.repeatCount(), e.startDate(), e.finishDate(), e.comments(), e.tags(),
        e.priority(), Instant.now());
    h.mal.putEntry(edited);
    return edited;
  }

  private static List<RecordedRequest> malReads(SyncHarness h) {
    return h.mal.requests().stream().filter(r -> r.method().equals("GET")).toList();
  }

  @Test
  void editsOnEitherSiteOfEitherTypeReachTheOtherAtTheNextPoll(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = synced(vertx, dir, new JsonObject());
    AniListEntry animeOnAniList = oneMoreOnAniList(h, pairToEdit(h, MediaType.ANIME, 0));
    AniListEntry mangaOnAniList = oneMoreOnAniList(h, pairToEdit(h, MediaType.MANGA, 0));
    AniListEntry animeForMal = pairToEdit(h, MediaType.ANIME, 1);
    AniListEntry mangaForMal = pairToEdit(h, MediaType.MANGA, 1);
    MalEntry animeOnMal = oneMoreOnMal(h, h.mal.entry(MediaType.ANIME, animeForMal.media().idMal()));
    MalEntry mangaOnMal = oneMoreOnMal(h, h.mal.entry(MediaType.MANGA, mangaForMal.media().idMal()));

    JsonObject poll = h.poll();

    assertThat(poll.getString("result")).as(poll.encodePrettily()).isEqualTo("synced");
    assertThat(h.mal.entry(MediaType.ANIME, animeOnAniList.media().idMal()).progress()).isEqualTo(animeOnAniList.progress());
    assertThat(h.mal.entry(MediaType.MANGA, mangaOnAniList.media().idMal()).progress()).isEqualTo(mangaOnAniList.progress());
    assertThat(h.aniList.entryByMalId(MediaType.ANIME, animeOnMal.id()).orElseThrow().progress()).isEqualTo(animeOnMal.progress());
    assertThat(h.aniList.entryByMalId(MediaType.MANGA, mangaOnMal.id()).orElseThrow().progress()).isEqualTo(mangaOnMal.progress());
    assertThat(h.writes()).isEqualTo(4);
    assertThat(io.github.anilistmalsync.metrics.ServiceMetrics.scrape()).contains("sync_change_latency_seconds_count")
        .contains("sync_live_polls_total{result=\"synced\"}");
    assertThat(h.disagreements()).isEmpty();
    // the poll is a run in History, with its trigger
    JsonObject run = vertx.eventBus().<JsonObject>request(io.github.anilistmalsync.bus.Addresses.SYNC_RUN,
        new JsonObject().put("runId", poll.getString("runId"))).await().body();
    assertThat(run.encode()).contains("\"trigger\":\"live\"");
  }

  @Test
  void anEntryAddedOnEitherSiteIsCreatedOnTheOtherByTheNextPoll(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = synced(vertx, dir, new JsonObject());
    long now = Instant.now().getEpochSecond();
    // added on AniList: MAL has the title, not on the list
    AniListEntry added = Entries.ani(90_001, AniListStatus.CURRENT, 2, 70, now);
    h.aniList.addMedia(added.media());
    h.aniList.putEntry(added);
    h.mal.addTitle(new io.github.anilistmalsync.sandbox.FakeMal.Title(added.media().idMal(), MediaType.ANIME, "Show 90001", "tv", 24, null, false));
    // added on MAL: AniList has the media (found by the batched lookup), not on the list
    MalEntry addedOnMal = Entries.mal(90_002, io.github.anilistmalsync.model.MalStatus.IN_PROGRESS, false, 4, 7, now);
    h.mal.addTitle(new io.github.anilistmalsync.sandbox.FakeMal.Title(addedOnMal.id(), MediaType.ANIME, "Show 90002", "tv", 24, null, false));
    h.mal.putEntry(addedOnMal);
    h.aniList.addMedia(Entries.media(MediaType.ANIME, 90_002, 24));

    JsonObject poll = h.poll();

    assertThat(poll.getString("result")).as(poll.encodePrettily()).isEqualTo("synced");
    assertThat(h.mal.entry(MediaType.ANIME, added.media().idMal())).isNotNull().satisfies(e -> assertThat(e.progress()).isEqualTo(2));
    assertThat(h.aniList.entryByMalId(MediaType.ANIME, addedOnMal.id())).hasValueSatisfying(e -> assertThat(e.progress()).isEqualTo(4));
    assertThat(h.writes()).isEqualTo(2);
  }

  @Test
  void ourOwnWritesComingBackInTheNextPollAreNotWrittenBack(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = synced(vertx, dir, new JsonObject());
    oneMoreOnAniList(h, pairToEdit(h, MediaType.ANIME, 0));
    oneMoreOnMal(h, h.mal.entry(MediaType.MANGA, pairToEdit(h, MediaType.MANGA, 0).media().idMal()));
    assertThat(h.poll().getString("result")).isEqualTo("synced");
    assertThat(h.writes()).isEqualTo(2);
    h.aniList.clearLog();
    h.mal.clearLog();

    JsonObject echo = h.poll();

    // both writes are on the services' change pages now, newer than the watermarks; they equal their baselines
    assertThat(echo.getString("result")).as(echo.encodePrettily()).isEqualTo("quiet");
    assertThat(echo.getString("runId")).isNull();
    assertThat(h.writes()).isZero();
    assertThat(h.aniList.requests()).hasSize(1);
    assertThat(malReads(h)).hasSize(2);
    assertThat(h.disagreements()).isEmpty();
  }

  @Test
  void aPollWithNothingNewSendsOneAniListRequestForBothTypesAndOneMalRequestPerType(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = synced(vertx, dir, new JsonObject());

    JsonObject poll = h.poll();

    assertThat(poll.getString("result")).isEqualTo("idle");
    assertThat(io.github.anilistmalsync.metrics.ServiceMetrics.scrape()).contains("sync_live_polls_total{result=\"idle\"}");
    assertThat(h.aniList.requests()).hasSize(1);
    assertThat(h.aniList.requests().get(0).body()).contains("anime: Page", "manga: Page", "UPDATED_TIME_DESC");
    assertThat(h.mal.requests()).hasSize(2);
    assertThat(h.mal.requests()).extracting(RecordedRequest::path)
        .containsExactlyInAnyOrder("/v2/users/@me/animelist", "/v2/users/@me/mangalist");
    assertThat(h.mal.requests()).allSatisfy(r -> assertThat(r.query()).contains("sort=list_updated_at", "nsfw=true"));
    assertThat(h.writes()).isZero();
  }

  @Test
  void aBulkEditOfMoreThanAPageInOneSecondIsCarriedWholeAndTheIdlePollsAfterItStillSendOneRequestEach(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = synced(vertx, dir, new JsonObject());
    // thirty MAL manga scores changed within one second (more than the 25 of a change page), as a bulk edit or an
    // import stamps them
    Instant second = Instant.ofEpochSecond(Instant.now().getEpochSecond());
    List<MalEntry> bulk = h.aniList.entries(MediaType.MANGA).stream()
        .filter(e -> e.media().idMal() != null && h.mal.entry(MediaType.MANGA, e.media().idMal()) != null)
        .filter(e -> !e.isPrivate() && !e.hiddenFromStatusLists())
        .limit(30)
        .map(e -> {
          MalEntry m = h.mal.entry(MediaType.MANGA, e.media().idMal());
          MalEntry edited = new MalEntry(m.id(), m.type(), m.title(), m.mediaType(), m.progressTotal(), m.volumesTotal(), m.nsfw(), m.status(),
              m.score() == 10 ? 9 : m.score() + 1, m.progress(), m.volumesRead(), m.repeating(), m.repeatCount(), m.startDate(), m.finishDate(),
              m.comments(), m.tags(), m.priority(), second);
          h.mal.putEntry(edited);
          return edited;
        }).toList();
    assertThat(bulk).hasSize(30);

    JsonObject carried = h.poll();

    assertThat(carried.getString("result")).as(carried.encodePrettily()).isEqualTo("synced");
    assertThat(bulk).allSatisfy(m -> assertThat(h.aniList.entryByMalId(MediaType.MANGA, m.id()).orElseThrow().score100())
        .as("MAL %s", m.id()).isEqualTo(m.score() * 10));
    assertThat(h.poll().getString("result")).isEqualTo("quiet");  // our thirty writes come back on AniList
    h.aniList.clearLog();
    h.mal.clearLog();

    JsonObject idle = h.poll();

    // MAL's newest second still holds a whole page of those thirty: already read, so it is not paged for
    assertThat(idle.getString("result")).isEqualTo("idle");
    assertThat(h.aniList.requests()).hasSize(1);
    assertThat(malReads(h)).hasSize(2);
    assertThat(h.disagreements()).isEmpty();
  }

  @Test
  void aLivePollThatWroteReachesOnlyTheWebhooksThatAskForLiveChanged(Vertx vertx, @TempDir Path dir) throws Exception {
    SyncHarness h = synced(vertx, dir, new JsonObject());
    WebhookReceiver receiver = WebhookReceiver.start(vertx, 0);
    JsonObject hooks = new JsonObject().put("webhooks", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("url", receiver.url("/all")))
        .add(new JsonObject().put("url", receiver.url("/live")).put("events", new io.vertx.core.json.JsonArray().add("live_changed"))));
    vertx.deployVerticle(new NotificationVerticle(java.time.Duration.ofMillis(20), 2), new io.vertx.core.DeploymentOptions()
        .setConfig(new JsonObject().put(io.github.anilistmalsync.config.AppConfig.DATA_DIR, dir.toString()).put("notifications", hooks))).await();
    AniListEntry edited = oneMoreOnAniList(h, pairToEdit(h, MediaType.ANIME, 0));

    JsonObject poll = h.poll();

    assertThat(poll.getString("result")).isEqualTo("synced");
    WebhookReceiver.Received live = receiver.next(5_000);
    assertThat(live).isNotNull();
    assertThat(live.path()).isEqualTo("/live");
    JsonObject told = new JsonObject(live.body());
    assertThat(told.getString("event")).isEqualTo("live_changed");
    assertThat(told.getString("message")).contains("Live sync " + poll.getString("runId"), "1 entry changed", edited.media().displayTitle());
    // the webhook without a list hears of full syncs as before, and heard nothing of the poll before this one
    oneMoreOnMal(h, h.mal.entry(MediaType.MANGA, pairToEdit(h, MediaType.MANGA, 0).media().idMal()));
    assertThat(h.sync().getString("result")).isEqualTo("ok");
    WebhookReceiver.Received full = receiver.next(5_000);
    assertThat(full.path()).isEqualTo("/all");
    assertThat(new JsonObject(full.body()).getString("event")).isEqualTo("run_changed");
    assertThat(receiver.next(300)).isNull();
  }

  @Test
  void aDeletionIsNotPropagatedByAPollButIsByTheNextFullSync(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = synced(vertx, dir, new JsonObject().put("deletions", "propagate"));
    AniListEntry gone = pairToEdit(h, MediaType.ANIME, 0);
    AniListEntry goneButEditedOnMal = pairToEdit(h, MediaType.ANIME, 1);
    h.aniList.removeEntry(gone.id());
    h.aniList.removeEntry(goneButEditedOnMal.id());
    oneMoreOnMal(h, h.mal.entry(MediaType.ANIME, goneButEditedOnMal.media().idMal()));

    JsonObject poll = h.poll();

    // the poll read the MAL edit and looked for its AniList partner: absent, but a poll infers no deletion
    assertThat(poll.getString("result")).as(poll.encodePrettily()).isNotEqualTo("failed");
    assertThat(h.writes()).isZero();
    assertThat(h.mal.entry(MediaType.ANIME, gone.media().idMal())).isNotNull();
    assertThat(h.mal.entry(MediaType.ANIME, goneButEditedOnMal.media().idMal())).isNotNull();
    assertThat(h.aniList.entryByMalId(MediaType.ANIME, goneButEditedOnMal.media().idMal())).isEmpty();

    JsonObject full = h.sync();
    assertThat(full.getString("result")).isEqualTo("ok");
    assertThat(h.mal.entry(MediaType.ANIME, gone.media().idMal())).as(full.encodePrettily()).isNull();
  }

  @Test
  void aPollThatFailsLosesNoEditTheNextPollCarriesIt(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = synced(vertx, dir, new JsonObject());
    AniListEntry edited = oneMoreOnAniList(h, pairToEdit(h, MediaType.ANIME, 0));
    h.mal.inject(Fault.status(500, "{\"error\":\"internal\",\"message\":\"\"}").when(r -> r.method().name().equals("PATCH")), 100);

    JsonObject failed = h.poll();

    assertThat(failed.getString("result")).as(failed.encodePrettily()).isEqualTo("failed");
    assertThat(h.mal.entry(MediaType.ANIME, edited.media().idMal()).progress()).isEqualTo(edited.progress() - 1);

    h.mal.calm();
    JsonObject next = h.poll();

    assertThat(next.getString("result")).as(next.encodePrettily()).isEqualTo("synced");
    assertThat(h.mal.entry(MediaType.ANIME, edited.media().idMal()).progress()).isEqualTo(edited.progress());
    assertThat(h.disagreements()).isEmpty();
  }

  @Test
  void theWatermarksSurviveARestartSoAnEditMadeWhileDownIsCarried(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = synced(vertx, dir, new JsonObject());
    h.restartCoordinator();
    // made while the service was down: a first poll without stored watermarks would only set them and carry nothing
    MalEntry edited = oneMoreOnMal(h, h.mal.entry(MediaType.MANGA, pairToEdit(h, MediaType.MANGA, 0).media().idMal()));

    JsonObject poll = h.poll();

    assertThat(poll.getString("result")).as(poll.encodePrettily()).isEqualTo("synced");
    assertThat(h.aniList.entryByMalId(MediaType.MANGA, edited.id()).orElseThrow().progress()).isEqualTo(edited.progress());
  }

  @Test
  void aDryRunPollPlansTheEditButWritesNothing(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = synced(vertx, dir, new JsonObject());
    AniListEntry edited = oneMoreOnAniList(h, pairToEdit(h, MediaType.ANIME, 0));

    JsonObject poll = h.poll(new JsonObject().put("dryRun", true));

    assertThat(poll.getString("runId")).isNotNull();
    assertThat(h.writes()).isZero();
    assertThat(h.mal.entry(MediaType.ANIME, edited.media().idMal()).progress()).isEqualTo(edited.progress() - 1);
  }

  @Test
  void theServicePollsOnItsOwnAtTheLiveIntervalAndCarriesAnEdit(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = synced(vertx, dir, new JsonObject());
    // the service as it runs (scheduled: a full sync at start, the next in 6 hours), polling every 100 ms so the
    // test need not wait a minute; the edit is made once a poll has run, so only a poll can carry it
    h.restartCoordinatorPolling(java.time.Duration.ofMillis(100));
    for (int i = 0; i < 200 && live(vertx).getString("checkedAt") == null; i++) vertx.timer(50).await();
    assertThat(live(vertx).getBoolean("on")).isTrue();
    assertThat(live(vertx).getString("checkedAt")).as("a poll ran on its own").isNotNull();
    AniListEntry edited = oneMoreOnAniList(h, pairToEdit(h, MediaType.MANGA, 0));

    for (int i = 0; i < 200 && h.mal.entry(MediaType.MANGA, edited.media().idMal()).progress() != edited.progress(); i++) {
      vertx.timer(50).await();
    }

    assertThat(h.mal.entry(MediaType.MANGA, edited.media().idMal()).progress()).as("carried without a trigger").isEqualTo(edited.progress());
    JsonObject runs = vertx.eventBus().<JsonObject>request(io.github.anilistmalsync.bus.Addresses.SYNC_RUNS, new JsonObject()).await().body();
    assertThat(runs.encode()).contains("\"trigger\":\"live\"");
  }

  private static JsonObject live(Vertx vertx) {
    return vertx.eventBus().<JsonObject>request(io.github.anilistmalsync.bus.Addresses.SYNC_STATUS, new JsonObject()).await().body()
        .getJsonObject("live");
  }
}
