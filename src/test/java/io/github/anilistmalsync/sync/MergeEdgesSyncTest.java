package io.github.anilistmalsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListMedia;
import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MalStatus;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.model.ScoreFormat;
import io.github.anilistmalsync.sandbox.FakeMal;
import io.github.anilistmalsync.sync.core.Convert;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The merge's edges (the rules of MergeEdgesTest) over real HTTP: the real client verticles and coordinator against
 * both fakes, with the edits made on the fakes as a user would make them on the two websites.
 */
@ExtendWith(VertxExtension.class)
class MergeEdgesSyncTest {
  private static final MalId SHOW = new MalId(1);
  private SyncHarness harness;

  @AfterEach
  void stop() {
    if (harness != null) harness.close();
  }

  private SyncHarness started(Vertx vertx, Path dir, ScoreFormat format, JsonObject sync) {
    harness = new SyncHarness(vertx, dir, format).start(sync);
    return harness;
  }

  /** One show on both sites, as the test says, with MAL knowing {@code malTotal} episodes (0: it knows none). */
  private static void show(SyncHarness h, AniListEntry onAniList, MalEntry onMal, int malTotal) {
    h.aniList.addMedia(onAniList.media());
    h.aniList.putEntry(onAniList);
    h.mal.addTitle(new FakeMal.Title(onMal.id(), MediaType.ANIME, onMal.title(), "tv", malTotal, null, false));
    h.mal.putEntry(Entries.withTotal(onMal, malTotal));
  }

  private static long soon(int seconds) {
    return Instant.now().getEpochSecond() + seconds;
  }

  private static AniListEntry onAniList(SyncHarness h) {
    return h.aniList.entryByMalId(MediaType.ANIME, SHOW).orElseThrow();
  }

  @Test
  void aPauseOnAniListAndAnEpisodeOnMalBothReachBothSites(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = started(vertx, dir, ScoreFormat.POINT_10, new JsonObject());
    show(h, Entries.ani(1, AniListStatus.CURRENT, 3, 70, 100), Entries.mal(1, MalStatus.IN_PROGRESS, false, 3, 7, 100), 24);
    h.sync();
    h.aniList.putEntry(Entries.ani(1, AniListStatus.PAUSED, 3, 70, soon(5)));
    h.mal.putEntry(Entries.withTotal(Entries.mal(1, MalStatus.IN_PROGRESS, false, 4, 7, soon(10)), 24));
    JsonObject result = h.sync();
    assertThat(result.getJsonObject("types").getJsonObject("ANIME").getInteger("conflicts")).isZero();
    assertThat(onAniList(h).status()).isEqualTo(AniListStatus.PAUSED);
    assertThat(onAniList(h).progress()).isEqualTo(4);
    assertThat(h.mal.entry(MediaType.ANIME, SHOW).status()).isEqualTo(MalStatus.ON_HOLD);
    assertThat(h.mal.entry(MediaType.ANIME, SHOW).progress()).isEqualTo(4);
    assertThat(h.writesOfNextSync()).isZero();
  }

  @Test
  void aMalScoreEditReachesAFivePointAniList(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = started(vertx, dir, ScoreFormat.POINT_5, new JsonObject());
    show(h, Entries.ani(1, AniListStatus.COMPLETED, 24, 80, 100), Entries.mal(1, MalStatus.COMPLETED, false, 24, 8, 100), 24);
    h.sync();
    h.mal.putEntry(Entries.withTotal(Entries.mal(1, MalStatus.COMPLETED, false, 24, 7, soon(10)), 24));
    h.sync();
    assertThat(Convert.toMalScore(onAniList(h).score100())).isEqualTo(7);
    assertThat(h.disagreements()).isEmpty();
    assertThat(h.writesOfNextSync()).isZero();
  }

  @Test
  void notesOfAPrivateAniListEntryNeverReachMal(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = started(vertx, dir, ScoreFormat.POINT_10, new JsonObject());
    show(h, Entries.privately(Entries.ani(1, AniListStatus.CURRENT, 3, 70, 100)), Entries.mal(1, MalStatus.IN_PROGRESS, false, 3, 7, 100), 24);
    h.sync();
    AniListEntry edited = Entries.withNotes(Entries.privately(Entries.ani(1, AniListStatus.CURRENT, 5, 70, soon(10))), "my secret thoughts");
    h.aniList.putEntry(edited);
    JsonObject result = h.sync();
    assertThat(h.mal.entry(MediaType.ANIME, SHOW).progress()).isEqualTo(5);
    assertThat(h.mal.entry(MediaType.ANIME, SHOW).comments()).doesNotContain("secret");
    assertThat(result.getJsonObject("types").getJsonObject("ANIME").getInteger("heldApart")).isEqualTo(1);
    assertThat(heldApart(h)).singleElement().satisfies(o -> assertThat(((JsonObject) o).getString("reason")).contains("private on AniList"));
  }

  @Test
  void progressPastAniListsCountReachesAniListWhenMalKnowsNoCount(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = started(vertx, dir, ScoreFormat.POINT_10, new JsonObject());
    show(h, Entries.ani(1, AniListStatus.CURRENT, 24, 0, 100), Entries.mal(1, MalStatus.IN_PROGRESS, false, 24, 0, 100), 0);
    h.sync();
    h.mal.putEntry(Entries.withTotal(Entries.mal(1, MalStatus.IN_PROGRESS, false, 30, 0, soon(10)), 0));
    h.sync();
    assertThat(onAniList(h).progress()).isEqualTo(30);
  }

  @Test
  void aRecapSpecialSharingTheSeriesMalIdNeverOverwritesTheSeriesOnMal(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = started(vertx, dir, ScoreFormat.POINT_10, new JsonObject());
    show(h, Entries.ani(1, AniListStatus.CURRENT, 12, 80, 100), Entries.mal(1, MalStatus.IN_PROGRESS, false, 12, 8, 100), 24);
    AniListMedia recap = new AniListMedia(new AniListMediaId(9001), SHOW, MediaType.ANIME, "SPECIAL", 1, null, null, false,
        "Show 1 Recap", null, null);
    h.aniList.addMedia(recap);
    h.aniList.putEntry(new AniListEntry(7777, recap, AniListStatus.COMPLETED, 30, null, 1, 0, 0, false, false, null,
        java.util.List.of(), null, null, soon(5), 1));
    h.sync();
    assertThat(h.mal.entry(MediaType.ANIME, SHOW).score()).isEqualTo(8);
    assertThat(h.mal.entry(MediaType.ANIME, SHOW).progress()).isEqualTo(12);
    JsonArray unmapped = bus(h, Addresses.SYNC_UNMAPPED, new JsonObject()).getJsonArray("unmapped");
    assertThat(unmapped.stream().map(o -> (JsonObject) o))
        .anySatisfy(u -> assertThat(u.getString("reason")).contains("shares MAL id 1 with Show 1"));
  }

  @Test
  void afterAnUndoThePairIsHeldApartWithWhyAndSettlingItWritesTheKeptSide(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = started(vertx, dir, ScoreFormat.POINT_10, new JsonObject());
    show(h, Entries.ani(1, AniListStatus.CURRENT, 3, 70, 100), Entries.mal(1, MalStatus.IN_PROGRESS, false, 3, 7, 100), 24);
    h.sync();
    h.mal.putEntry(Entries.withTotal(Entries.mal(1, MalStatus.IN_PROGRESS, false, 5, 7, soon(10)), 24));
    String wrote = h.sync().getString("runId");
    assertThat(onAniList(h).progress()).isEqualTo(5);
    bus(h, Addresses.SYNC_UNDO, new JsonObject().put("runId", wrote));
    assertThat(onAniList(h).progress()).isEqualTo(3);

    JsonObject next = h.sync(new JsonObject().put("dryRun", true));
    JsonObject anime = next.getJsonObject("types").getJsonObject("ANIME");
    assertThat(anime.getInteger("heldApart")).isEqualTo(1);
    assertThat(anime.getInteger("unchanged")).isZero();
    h.sync();
    assertThat(heldApart(h)).singleElement().satisfies(o -> {
      JsonObject held = (JsonObject) o;
      assertThat(held.getString("reason")).contains("undone by run");
      assertThat(held.getJsonArray("differences").getString(0)).isEqualTo("progress: AniList 3, MyAnimeList 5");
    });

    bus(h, Addresses.SYNC_SETTLE, new JsonObject().put("type", "ANIME").put("malId", 1).put("keep", "MAL"));
    waitUntil(vertx, () -> onAniList(h).progress() == 5);
    h.sync();
    assertThat(heldApart(h)).isEmpty();
  }

  @Test
  void inAnilistToMalAnEntryDeletedOnMalStaysDeleted(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = started(vertx, dir, ScoreFormat.POINT_10, new JsonObject().put("mode", "anilist-to-mal").put("deletions", "propagate"));
    show(h, Entries.ani(1, AniListStatus.CURRENT, 3, 70, 100), Entries.mal(1, MalStatus.IN_PROGRESS, false, 3, 7, 100), 24);
    h.sync();
    h.mal.removeEntry(MediaType.ANIME, SHOW);
    h.sync();
    h.aniList.putEntry(Entries.ani(1, AniListStatus.CURRENT, 4, 70, soon(10)));
    h.sync();
    assertThat(h.mal.entry(MediaType.ANIME, SHOW)).isNull();
    assertThat(onAniList(h).progress()).isEqualTo(4);
  }

  @Test
  void aMalCommentPastAniListsCapLetsTheRestThroughIsSaidOnceAndIsNotSentAgainUntilItChanges(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = started(vertx, dir, ScoreFormat.POINT_10, new JsonObject());
    show(h, Entries.ani(1, AniListStatus.CURRENT, 3, 70, 100), Entries.mal(1, MalStatus.IN_PROGRESS, false, 3, 7, 100), 24);
    h.sync();
    String tooLong = "a long review ".repeat(470);
    h.mal.putEntry(Entries.withComments(Entries.withTotal(Entries.mal(1, MalStatus.ON_HOLD, false, 4, 7,
        soon(10)), 24), tooLong));
    JsonObject first = h.sync();
    assertThat(onAniList(h).status()).isEqualTo(AniListStatus.PAUSED);
    assertThat(onAniList(h).progress()).isEqualTo(4);
    assertThat(first.getJsonArray("errors").encode()).contains("notes not saved");

    h.aniList.clearLog();
    h.mal.clearLog();
    JsonObject second = h.sync();
    assertThat(h.writes()).as("the refused note is not sent again").isZero();
    assertThat(second.getJsonArray("errors").encode()).doesNotContain("notes");
    assertThat(second.getJsonObject("types").getJsonObject("ANIME").getInteger("heldApart")).isEqualTo(1);
    assertThat(heldApart(h)).singleElement().satisfies(o -> assertThat(((JsonObject) o).getString("reason")).contains("AniList refused this notes"));

    h.mal.putEntry(Entries.withComments(Entries.withTotal(Entries.mal(1, MalStatus.ON_HOLD, false, 4, 7, soon(20)), 24), "short now"));
    h.sync();
    assertThat(onAniList(h).notes()).isEqualTo("short now");
    assertThat(heldApart(h)).isEmpty();
  }

  private static JsonArray heldApart(SyncHarness h) {
    return bus(h, Addresses.SYNC_UNMAPPED, new JsonObject()).getJsonArray("heldApart");
  }

  private static JsonObject bus(SyncHarness h, String address, JsonObject body) {
    return h.vertx.eventBus().<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(60_000)).await().body();
  }

  private static void waitUntil(Vertx vertx, java.util.function.BooleanSupplier done) {
    for (int i = 0; i < 200 && !done.getAsBoolean(); i++) vertx.timer(50).await();
    assertThat(done.getAsBoolean()).as("the settle run wrote the kept side").isTrue();
  }
}
