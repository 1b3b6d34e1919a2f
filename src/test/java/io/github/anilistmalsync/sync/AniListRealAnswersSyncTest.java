package io.github.anilistmalsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListMedia;
import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.FuzzyDate;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MalStatus;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.model.ScoreFormat;
import io.github.anilistmalsync.sandbox.RecordedRequest;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
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
 * Whole syncs against a fake AniList that answers as the real one does (issue 12): adult media hidden from signed-in
 * lookups, a collection that leaves out hidden entries and stops at its cap, notes refused past 6,000 characters.
 */
@ExtendWith(VertxExtension.class)
class AniListRealAnswersSyncTest {
  private SyncHarness harness;

  @AfterEach
  void stop() {
    if (harness != null) harness.close();
  }

  private SyncHarness started(Vertx vertx, Path dir, JsonObject sync) {
    harness = new SyncHarness(vertx, dir, ScoreFormat.POINT_10).start(sync);
    return harness;
  }

  private static AniListMedia media(int id, int idMal, boolean adult) {
    return new AniListMedia(new AniListMediaId(id), new MalId(idMal), MediaType.ANIME, "TV", 12, null, null, adult, "Show " + id, null, null);
  }

  private static MalEntry malEntry(int id, int progress, String comments) {
    return new MalEntry(new MalId(id), MediaType.ANIME, "Show " + id, "tv", 12, null, false, MalStatus.IN_PROGRESS, 7, progress, 0,
        false, 0, FuzzyDate.EMPTY, FuzzyDate.EMPTY, comments, List.of(), 0, Instant.parse("2024-01-01T00:00:00Z"));
  }

  private static AniListEntry aniListEntry(long entryId, AniListMedia media, boolean hidden, long updatedAt) {
    return new AniListEntry(entryId, media, AniListStatus.CURRENT, 70, 7.0, 3, 0, 0, false, hidden, null, List.of(),
        FuzzyDate.EMPTY, FuzzyDate.EMPTY, updatedAt, 1_600_000_000L);
  }

  /** Both sides hold the same {@code n} shows, MAL ids 100.., AniList media 500.., entry ids 9000.. . */
  private void pairs(SyncHarness h, int n) {
    for (int i = 0; i < n; i++) {
      h.aniList.putEntry(aniListEntry(9000 + i, media(500 + i, 100 + i, false), false, 1_700_000_000L + i));
      h.mal.putEntry(malEntry(100 + i, 3, null));
    }
  }

  @Test
  void aMalOnlyAdultTitleIsLookedUpPairedAndCreatedOnAniList(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = started(vertx, dir, new JsonObject());
    h.aniList.addMedia(media(777, 4242, true));
    h.mal.putEntry(malEntry(4242, 5, null));
    JsonObject result = h.sync(new JsonObject().put("type", "ANIME"));
    assertThat(result.getString("result")).isEqualTo("ok");
    assertThat(h.aniList.entryByMalId(MediaType.ANIME, new MalId(4242))).get()
        .satisfies(e -> assertThat(e.progress()).isEqualTo(5));
    // the lookup goes unsigned (adult media are found); the check that the user has no hidden entry for it is signed
    assertThat(h.aniList.requests()).filteredOn(r -> r.kind().equals("Page")).hasSize(2);
    assertThat(h.aniList.signedRequestKinds()).containsOnlyOnce("Page");
  }

  @Test
  void anEntryHiddenFromStatusListsIsNeverDeletedFromMalEvenWithPropagate(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = started(vertx, dir, new JsonObject().put("deletions", "propagate"));
    pairs(h, 3);
    assertThat(h.sync(new JsonObject().put("type", "ANIME")).getString("result")).isEqualTo("ok");
    // the user hides one entry from the status lists on AniList: the collection no longer carries it
    h.aniList.putEntry(aniListEntry(9001, media(501, 101, false), true, 1_800_000_000L));
    h.aniList.clearLog();
    h.mal.clearLog();
    JsonObject second = h.sync(new JsonObject().put("type", "ANIME"));
    assertThat(second.getString("result")).isEqualTo("ok");
    assertThat(second.getJsonObject("types").getJsonObject("ANIME").getInteger("deleted")).isZero();
    assertThat(h.mal.entries(MediaType.ANIME)).hasSize(3);
    assertThat(h.writes()).isZero();
    assertThat(h.aniList.requests()).extracting(RecordedRequest::kind).containsOnlyOnce("Page");
    // still paired, not tomb-stoned: an edit on MAL reaches the hidden AniList entry
    h.mal.putEntry(malEntry(101, 9, null));
    h.sync(new JsonObject().put("type", "ANIME"));
    assertThat(h.aniList.entries(MediaType.ANIME)).filteredOn(e -> e.id() == 9001).singleElement()
        .satisfies(e -> assertThat(e.progress()).isEqualTo(9));
  }

  @Test
  void aCollectionCutOffAtItsCapInfersNoDeletion(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = started(vertx, dir, new JsonObject().put("deletions", "propagate"));
    pairs(h, 60);
    assertThat(h.sync(new JsonObject().put("type", "ANIME")).getString("result")).isEqualTo("ok");
    h.aniList.collectionCap(5);
    h.aniList.clearLog();
    h.mal.clearLog();
    JsonObject second = h.sync(new JsonObject().put("type", "ANIME"));
    assertThat(second.getString("result")).isEqualTo("ok");
    assertThat(h.mal.entries(MediaType.ANIME)).hasSize(60);
    assertThat(h.aniList.entries(MediaType.ANIME)).hasSize(60);
    assertThat(h.writes()).isZero();
    // 55 entries missing from the collection, confirmed 50 a request
    assertThat(h.aniList.requests()).filteredOn(r -> r.kind().equals("Page")).hasSize(2);
  }

  @Test
  void aCollectionAtAniListsCapIsSaidSoInTheRunsResult(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = started(vertx, dir, new JsonObject());
    for (int i = 0; i < 11_050; i++) h.aniList.putEntry(aniListEntry(100_000 + i, media(200_000 + i, 300_000 + i, false), false, 1_700_000_000L + i));
    JsonObject preview = h.sync(new JsonObject().put("type", "ANIME").put("dryRun", true));
    assertThat(preview.getJsonArray("errors").encode())
        .contains("AniList returned its maximum of 11,000 entries; older entries were checked one by one");
  }

  @Test
  void anAniListEntryReallyDeletedIsStillDeletedFromMalWithPropagate(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = started(vertx, dir, new JsonObject().put("deletions", "propagate"));
    pairs(h, 3);
    h.sync(new JsonObject().put("type", "ANIME"));
    h.aniList.removeEntry(9002);
    JsonObject second = h.sync(new JsonObject().put("type", "ANIME"));
    assertThat(second.getString("result")).isEqualTo("ok");
    assertThat(h.mal.entries(MediaType.ANIME)).extracting(e -> e.id().value()).containsExactlyInAnyOrder(100, 101);
  }

  @Test
  void aNoteOverAniListsCapStillLetsStatusAndProgressThroughAndIsReportedRefused(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = started(vertx, dir, new JsonObject());
    h.aniList.putEntry(aniListEntry(9000, media(500, 100, false), false, 1_700_000_000L));
    JsonObject reply = vertx.eventBus().<JsonObject>request(Addresses.ANILIST_ENTRY_SAVE, new JsonObject().put("type", "ANIME")
            .put("mediaId", 500).put("entryId", 9000L)
            .put("fields", new JsonObject().put("status", "COMPLETED").put("progress", 12).put("notes", "n".repeat(6_500))),
        new DeliveryOptions().setSendTimeout(30_000)).await().body();
    assertThat(reply.getJsonObject("entry").getInteger("progress")).isEqualTo(12);
    assertThat(reply.getJsonArray("refused")).containsExactly(
        new JsonObject().put("field", "notes").put("reason", "The notes may not be greater than 6000 characters."));
    AniListEntry saved = h.aniList.entries(MediaType.ANIME).get(0);
    assertThat(saved.status()).isEqualTo(AniListStatus.COMPLETED);
    assertThat(saved.progress()).isEqualTo(12);
    assertThat(saved.notes()).isNull();
  }

  @Test
  void aRefusalToModifyAnEntryOrA500NeverThrowsAwayTheAniListSignIn(Vertx vertx, @TempDir Path dir) throws Exception {
    SyncHarness h = harness = new SyncHarness(vertx, dir, ScoreFormat.POINT_10);
    h.aniList.start(0).await();
    h.mal.start(0).await();
    int callbackPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      callbackPort = socket.getLocalPort();
    }
    String redirect = "http://127.0.0.1:" + callbackPort + "/callback";
    io.github.anilistmalsync.sandbox.FakeOAuth aniOAuth =
        new io.github.anilistmalsync.sandbox.FakeOAuth(io.github.anilistmalsync.sandbox.FakeOAuth.Style.ANILIST, "ani-id", "ani-secret", redirect);
    h.aniList.withOAuth(aniOAuth);
    JsonObject conf = new JsonObject()
        .put(io.github.anilistmalsync.config.AppConfig.DATA_DIR, dir.toString())
        .put("oauth", new JsonObject().put("port", callbackPort).put("redirect_uri", redirect))
        .put("web", new JsonObject().put("host", "127.0.0.1"))
        .put("anilist", new JsonObject().put("client_id", "ani-id").put("client_secret", "ani-secret")
            .put("auth_url", h.aniList.apiUrl() + "api/v2/oauth/authorize").put("token_url", h.aniList.apiUrl() + "api/v2/oauth/token")
            .put("api_url", h.aniList.apiUrl()).put("requests_per_minute", 60_000))
        .put("myanimelist", new JsonObject().put("client_id", "mal-id").put("client_secret", "mal-secret")
            .put("api_url", h.mal.apiUrl()).put("requests_per_second", 1_000))
        .put("sync", new JsonObject().put("mode", "bidirectional"));
    io.vertx.core.DeploymentOptions options = new io.vertx.core.DeploymentOptions().setConfig(conf);
    vertx.deployVerticle(new io.github.anilistmalsync.auth.AuthVerticle(), options).await();
    String start = vertx.eventBus().<JsonObject>request(Addresses.AUTH_SIGNIN_START, new JsonObject().put("service", "anilist"))
        .await().body().getString("startUrl");
    io.vertx.ext.web.client.WebClientSession browser = io.vertx.ext.web.client.WebClientSession.create(io.vertx.ext.web.client.WebClient.create(vertx,
        new io.vertx.ext.web.client.WebClientOptions().setFollowRedirects(false)));
    String authorize = browser.getAbs(start).send().await().getHeader("Location");
    var approval = browser.getAbs(authorize).send().await();
    assertThat(browser.getAbs(approval.getHeader("Location")).send().await().statusCode()).isEqualTo(200);
    io.github.anilistmalsync.client.Upstream.Options quick = io.github.anilistmalsync.client.Upstream.Options.defaults()
        .withBackoff(java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(100)).withDeadline(java.time.Duration.ofSeconds(2))
        .withBreaker(8, java.time.Duration.ofMillis(200));
    vertx.deployVerticle(new io.github.anilistmalsync.anilist.AniListVerticle(null, quick), options).await();
    vertx.deployVerticle(new io.github.anilistmalsync.mal.MalVerticle(io.github.anilistmalsync.client.TokenSource.fixed("m-token"), quick), options).await();
    vertx.deployVerticle(new SyncCoordinatorVerticle(java.time.Clock.systemUTC(), false), options).await();

    pairs(h, 1);
    h.mal.putEntry(malEntry(100, 8, null));
    // AniList refuses the write (the run's third AniList request, after Viewer and the list) with its 401 for a list
    // entry the user may not modify
    int[] seen = {0};
    h.aniList.inject(io.github.anilistmalsync.sandbox.FakeAniList.notAuthorisedToModify().when(r -> ++seen[0] == 3), 1);
    JsonObject refused = h.sync(new JsonObject().put("type", "ANIME"));
    assertThat(refused.getJsonArray("errors").encode()).contains("You are not authorized to modify this MediaList");
    assertThat(refused.getString("result")).isNotEqualTo("needsSignIn");
    assertThat(signInState(vertx)).isEqualTo("signedIn");
    // the next run, AniList answering again, carries the edit with the same token
    JsonObject next = h.sync(new JsonObject().put("type", "ANIME"));
    assertThat(next.getString("result")).as(next.encodePrettily()).isEqualTo("ok");
    assertThat(h.aniList.entries(MediaType.ANIME).get(0).progress()).isEqualTo(8);
    assertThat(aniOAuth.exchangeCount()).isEqualTo(1);
    // AniList's own word for a dead token signs the user out
    h.mal.putEntry(malEntry(100, 9, null));
    h.aniList.inject(io.github.anilistmalsync.sandbox.FakeAniList.invalidToken(), 1);
    assertThat(h.sync(new JsonObject().put("type", "ANIME")).getString("result")).isEqualTo("needsSignIn");
    assertThat(signInState(vertx)).isEqualTo("needsSignIn");
  }

  private static String signInState(Vertx vertx) {
    JsonObject status = vertx.eventBus().<JsonObject>request(Addresses.AUTH_STATUS, new JsonObject()).await().body();
    return status.getJsonArray("services").stream().map(o -> (JsonObject) o).filter(s -> s.getString("service").equals("anilist"))
        .findFirst().orElseThrow().getString("state");
  }
}
