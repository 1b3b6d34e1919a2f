package io.github.anilistmalsync.anilist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.anilistmalsync.bus.FailureKind;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.client.ChangesSince;
import io.github.anilistmalsync.client.RequestMetrics;
import io.github.anilistmalsync.client.TokenSource;
import io.github.anilistmalsync.client.Upstream;
import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListMedia;
import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.FuzzyDate;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.model.ScoreFormat;
import io.github.anilistmalsync.sandbox.FakeAniList;
import io.github.anilistmalsync.sandbox.Fault;
import io.github.anilistmalsync.sandbox.RecordedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class AniListClientTest {
  private Vertx vertx;
  private FakeAniList fake;
  private AniListClient client;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    fake = new FakeAniList(vertx);
    fake.start(0).await();
    client = client(6000, null);
  }

  private AniListClient client(double perMinute, String expectedUser) {
    Upstream.Options quick = Upstream.Options.defaults().withBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).withDeadline(Duration.ofSeconds(3));
    return new AniListClient(vertx, new AniListClient.Settings(fake.apiUrl(), perMinute, expectedUser, quick),
        TokenSource.fixed("anilist-secret-token"), new RequestMetrics(new SimpleMeterRegistry()));
  }

  @AfterEach
  void stop() {
    fake.stop().await();
  }

  private static AniListMedia media(int n, MediaType type, Integer idMal) {
    return new AniListMedia(new AniListMediaId(n), idMal == null ? null : new MalId(idMal), type, "TV", 12, null, null, false, "Title " + n, null, null);
  }

  private static AniListEntry entry(long id, AniListMedia media, List<String> customLists) {
    return new AniListEntry(id, media, AniListStatus.CURRENT, 75, null, 3, 0, 1, false, false, "notes " + id, customLists,
        FuzzyDate.of(2022, 5, null), FuzzyDate.EMPTY, 1_700_000_000L, 1_600_000_000L);
  }

  @Test
  void aListOfSeveralChunksComesBackWholeWithEachEntryOnce() {
    for (int i = 1; i <= 1100; i++) {
      fake.putEntry(entry(i, media(i, MediaType.ANIME, 5000 + i), i % 10 == 0 ? List.of("Favourites", "Rewatch") : List.of()));
    }
    List<AniListEntry> list = client.list(MediaType.ANIME).await();
    assertThat(list).hasSize(1100);
    assertThat(list).extracting(AniListEntry::id).doesNotHaveDuplicates();
    assertThat(fake.requests()).extracting(RecordedRequest::kind).containsExactly("Viewer", "MediaListCollection", "MediaListCollection", "MediaListCollection");
    AniListEntry tenth = list.stream().filter(e -> e.id() == 10).findFirst().orElseThrow();
    assertThat(tenth.customLists()).containsExactlyInAnyOrder("Favourites", "Rewatch");
    assertThat(tenth.score100()).isEqualTo(75);
    assertThat(tenth.startedAt()).isEqualTo(FuzzyDate.of(2022, 5, null));
    assertThat(tenth.media().idMal()).isEqualTo(new MalId(5010));
  }

  @Test
  void anEntryOnlyInACustomListIsStillRead() {
    AniListEntry hidden = new AniListEntry(1, media(1, MediaType.MANGA, 7), AniListStatus.PAUSED, 0, null, 3, 1, 0, true, true, null,
        List.of("Secret"), FuzzyDate.EMPTY, FuzzyDate.EMPTY, 1, 1);
    fake.putEntry(hidden);
    assertThat(client.list(MediaType.MANGA).await()).singleElement().satisfies(e -> {
      assertThat(e.hiddenFromStatusLists()).isTrue();
      assertThat(e.isPrivate()).isTrue();
    });
  }

  @Test
  void aBatchLookupOf120IdsTakesThreeRequestsAndKeepsTypesApart() {
    for (int i = 1; i <= 120; i++) {
      fake.addMedia(media(i, MediaType.ANIME, i));
      fake.addMedia(media(10_000 + i, MediaType.MANGA, i));
    }
    List<MalId> ids = IntStream.rangeClosed(1, 120).mapToObj(MalId::new).toList();
    List<AniListMedia> found = client.lookUp(MediaType.ANIME, ids).await();
    assertThat(found).hasSize(120).allSatisfy(m -> assertThat(m.type()).isEqualTo(MediaType.ANIME));
    assertThat(fake.requests()).hasSize(3);
  }

  @Test
  void aSaveSendsOnlyTheChangedFieldsAsScoreRaw() {
    fake.user(new FakeAniList.User(1, "demo", ScoreFormat.POINT_5));
    fake.putEntry(entry(1, media(1, MediaType.ANIME, 1), List.of()));
    AniListEntry saved = client.save(1L, 1, new JsonObject().put("scoreRaw", 70).put("progress", 4)).await();
    assertThat(saved.score100()).as("AniList keeps a scoreRaw as sent, whatever the format").isEqualTo(70);
    assertThat(saved.progress()).isEqualTo(4);
    assertThat(saved.notes()).isEqualTo("notes 1");
    JsonObject sent = new JsonObject(fake.requests().get(0).body());
    assertThat(sent.getJsonObject("variables").fieldNames()).containsExactlyInAnyOrder("id", "scoreRaw", "progress");
    assertThat(sent.getString("query")).doesNotContain("notes:").contains("scoreRaw: $scoreRaw");
  }

  @Test
  void aCreateRepeatedAfterALostAnswerUpdatesInsteadOfDuplicating() {
    fake.addMedia(media(9, MediaType.ANIME, 9));
    client.save(null, 9, new JsonObject().put("status", "CURRENT")).await();
    client.save(null, 9, new JsonObject().put("status", "CURRENT").put("progress", 2)).await();
    assertThat(fake.entries(MediaType.ANIME)).hasSize(1);
  }

  @Test
  void datesCanBeClearedAndPartial() {
    fake.putEntry(entry(1, media(1, MediaType.ANIME, 1), List.of()));
    AniListEntry saved = client.save(1L, 1, new JsonObject()
        .put("startedAt", FuzzyDate.EMPTY.toJson()).put("completedAt", FuzzyDate.of(2023, 2, null).toJson())).await();
    assertThat(saved.startedAt()).isEqualTo(FuzzyDate.EMPTY);
    assertThat(saved.completedAt()).isEqualTo(FuzzyDate.of(2023, 2, null));
  }

  @Test
  void everyErrorIsTyped() {
    fake.tokenValidator(t -> Optional.empty());
    assertThatThrownBy(() -> client.viewer().await()).isInstanceOfSatisfying(ServiceException.class, e -> {
      assertThat(e.kind()).isEqualTo(FailureKind.AUTH_EXPIRED);
      assertThat(e.getMessage()).doesNotContain("anilist-secret-token");
    });
    fake.tokenValidator(t -> Optional.of(1));
    assertThatThrownBy(() -> client.save(424242L, 1, new JsonObject().put("progress", 1)).await())
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND));
    fake.putEntry(entry(1, media(1, MediaType.ANIME, 1), List.of()));
    assertThatThrownBy(() -> client.save(1L, 1, new JsonObject().put("scoreRaw", 101)).await())
        .isInstanceOfSatisfying(ServiceException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.INVALID);
          assertThat(e.getMessage()).contains("The score may not be greater than 100.");
        });
    assertThat(client.delete(424242L).await()).isFalse();
  }

  @Test
  void aUsernameMismatchIsRefused() {
    AniListClient strict = client(6000, "someone-else");
    assertThatThrownBy(() -> strict.list(MediaType.ANIME).await()).isInstanceOfSatisfying(ServiceException.class, e -> {
      assertThat(e.kind()).isEqualTo(FailureKind.INVALID);
      assertThat(e.getMessage()).contains("refusing to sync someone else's list");
    });
    assertThat(fake.requests()).extracting(RecordedRequest::kind).containsExactly("Viewer");
  }

  @Test
  void a429IsHonouredAndTheRequestIsNotLost() {
    fake.putEntry(entry(1, media(1, MediaType.ANIME, 1), List.of()));
    fake.inject(Fault.status(429, "{\"data\":null,\"errors\":[{\"message\":\"Too Many Requests.\",\"status\":429}]}"), 1);
    assertThat(client.save(1L, 1, new JsonObject().put("progress", 5)).await().progress()).isEqualTo(5);
    assertThat(fake.requests()).extracting(RecordedRequest::status).containsExactly(429, 200);
    assertThat(fake.requests().get(1).atNanos() - fake.requests().get(0).atNanos()).isGreaterThanOrEqualTo(1_000_000_000L);
    assertThat(fake.entries(MediaType.ANIME).get(0).progress()).isEqualTo(5);
  }

  @Test
  void aFailureOnChunkThreeOfFourFailsTheWholeFetch() {
    for (int i = 1; i <= 1600; i++) fake.putEntry(entry(i, media(i, MediaType.ANIME, i), List.of()));
    client.viewer().await();
    // chunks 1 and 2 answer; every try of chunk 3 fails
    fake.inject(Fault.status(500, "{}").when(new java.util.function.Predicate<>() {
      int seen;
      @Override
      public boolean test(io.vertx.core.http.HttpServerRequest r) {
        return ++seen > 2;
      }
    }), 10);
    assertThatThrownBy(() -> client.list(MediaType.ANIME).await())
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.TRANSIENT));
  }

  @Test
  void whenAniListSaysNothingIsLeftTheClientWaitsInsteadOfSpendingA429() {
    fake.putEntry(entry(1, media(1, MediaType.ANIME, 1), List.of()));
    fake.rateLimit(2, 60);
    client.viewer().await();
    Future<AniListEntry> second = client.save(1L, 1, new JsonObject().put("progress", 5));
    second.await();
    Future<AniListEntry> third = client.save(1L, 1, new JsonObject().put("progress", 6));
    // the third waits out the minute the fake's headers announced rather than being sent into a 429
    assertThat(third.isComplete()).isFalse();
    assertThat(fake.requests()).extracting(RecordedRequest::status).containsExactly(200, 200);
  }

  @Test
  void pacingHoldsTheConfiguredRateUnder200QueuedRequestsAndDoesNotFallFarBelowIt() {
    double perMinute = 1200;
    AniListClient paced = client(perMinute, null);
    fake.putEntry(entry(1, media(1, MediaType.ANIME, 1), List.of()));
    List<Future<AniListEntry>> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) all.add(paced.save(1L, 1, new JsonObject().put("progress", i % 12)));
    Future.all(all).await();
    List<Long> times = fake.requests().stream().map(RecordedRequest::atNanos).sorted().toList();
    assertThat(times).hasSize(200);
    long window = 60_000_000_000L / 20;  // the limit per minute scaled to a 3-second window: 60 requests
    int limit = (int) (perMinute / 20);
    int worst = 0;
    for (int i = 0; i < times.size(); i++) {
      int j = i;
      while (j < times.size() && times.get(j) - times.get(i) < window) j++;
      worst = Math.max(worst, j - i);
    }
    assertThat(worst).isLessThanOrEqualTo(limit);
    double minutes = (times.get(199) - times.get(0)) / 60e9;
    assertThat(199 / minutes).isGreaterThanOrEqualTo(perMinute / 2);
  }

  @Test
  void unauthorisedIsAuthExpiredAndTransientFailuresAreRetried() {
    fake.putEntry(entry(1, media(1, MediaType.ANIME, 1), List.of()));
    fake.inject(Fault.status(401, "{\"errors\":[{\"message\":\"Unauthorized.\",\"status\":401}],\"data\":null}"), 1);
    assertThatThrownBy(() -> client.viewer().await())
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.AUTH_EXPIRED));
    fake.clearLog();
    // a dropped connection, a cut-off body and an answer slower than the deadline: each retried, then success
    fake.inject(Fault.drop(), 1).inject(Fault.malformed(), 1).inject(Fault.delay(5_000), 1);
    assertThat(client.save(1L, 1, new JsonObject().put("progress", 7)).await().progress()).isEqualTo(7);
    assertThat(fake.requests()).hasSizeGreaterThanOrEqualTo(3);
    assertThat(fake.entries(MediaType.ANIME).get(0).progress()).isEqualTo(7);
  }

  // ---- AniList's real answers (issue 12) -------------------------------------------------------------------

  @Test
  void anAbsentEntryOrMediaIsAValidationErrorThatTheClientReadsAsNotFound() {
    fake.tokenValidator(t -> Optional.of(1));
    assertThatThrownBy(() -> client.save(424242L, 1, new JsonObject().put("progress", 1)).await())
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND));
    assertThatThrownBy(() -> client.save(null, 999, new JsonObject().put("progress", 1)).await())
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND));
    assertThat(client.delete(424242L).await()).isFalse();
    assertThat(fake.requests()).extracting(RecordedRequest::status).containsOnly(400);
    assertThat(fake.requests()).allSatisfy(r -> assertThat(new JsonObject(r.body()).getString("query")).isNotBlank());
  }

  @Test
  void theFakeAnswersAMissingIdInAniListsValidationShape() {
    var answer = io.vertx.ext.web.client.WebClient.create(vertx).postAbs(fake.apiUrl()).bearerTokenAuthentication("t")
        .sendJsonObject(new JsonObject().put("query", "mutation { DeleteMediaListEntry(id: 77) { deleted } }")).await();
    assertThat(answer.statusCode()).isEqualTo(400);
    JsonObject error = answer.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0);
    assertThat(error.getString("message")).isEqualTo("validation");
    assertThat(error.getInteger("status")).isEqualTo(400);
    assertThat(error.getJsonObject("validation").encode()).isEqualTo("{\"id\":[\"The selected id is invalid.\"]}");
  }

  @Test
  void aRetriedDeleteThatAlreadySucceededIsSuccess() {
    fake.putEntry(entry(5, media(5, MediaType.ANIME, 5), List.of()));
    // the first delete went through but its answer was lost: sent again, AniList answers that the id is invalid
    assertThat(client.delete(5L).await()).isTrue();
    assertThat(client.delete(5L).await()).isFalse();
    assertThat(fake.entries(MediaType.ANIME)).isEmpty();
    assertThat(fake.requests()).extracting(RecordedRequest::status).containsExactly(200, 400);
  }

  @Test
  void aSaveToAnEntryDeletedMeanwhileCreatesItAgainByMedia() {
    fake.putEntry(entry(5, media(5, MediaType.ANIME, 5), List.of()));
    fake.removeEntry(5);
    AniListClient.Saved saved = client.saveSkippingRefused(5L, 5, new JsonObject().put("status", "CURRENT").put("progress", 4)).await();
    assertThat(saved.entry().progress()).isEqualTo(4);
    assertThat(saved.entry().id()).isNotEqualTo(5L);
    assertThat(fake.entries(MediaType.ANIME)).singleElement().satisfies(e -> {
      assertThat(e.media().id().value()).isEqualTo(5);
      assertThat(e.progress()).isEqualTo(4);
    });
    assertThat(fake.requests()).extracting(r -> new JsonObject(r.body()).getJsonObject("variables").fieldNames())
        .containsExactly(java.util.Set.of("id", "status", "progress"), java.util.Set.of("mediaId", "status", "progress"));
  }

  @Test
  void aNoteOverAniListsCapIsRefusedAloneAndTheStatusAndProgressAreSaved() {
    fake.putEntry(entry(1, media(1, MediaType.ANIME, 1), List.of()));
    String longNote = "x".repeat(6_500);
    AniListClient.Saved saved = client.saveSkippingRefused(1L, 1,
        new JsonObject().put("status", "COMPLETED").put("progress", 12).put("notes", longNote)).await();
    assertThat(saved.entry().status()).isEqualTo(AniListStatus.COMPLETED);
    assertThat(saved.entry().progress()).isEqualTo(12);
    assertThat(saved.refused()).containsExactly(new AniListClient.Refused("notes", "The notes may not be greater than 6000 characters."));
    AniListEntry onAniList = fake.entries(MediaType.ANIME).get(0);
    assertThat(onAniList.progress()).isEqualTo(12);
    assertThat(onAniList.notes()).isEqualTo("notes 1");
    assertThat(fake.requests()).extracting(RecordedRequest::status).containsExactly(400, 200);
  }

  @Test
  void mediaLookupsAreSentWithoutTheUsersTokenSoAdultTitlesAreFound() {
    fake.addMedia(new AniListMedia(new AniListMediaId(77), new MalId(7700), MediaType.ANIME, "OVA", 2, null, null, true, "Adult", null, null));
    fake.addMedia(media(78, MediaType.ANIME, 7800));
    List<AniListMedia> found = client.lookUp(MediaType.ANIME, List.of(new MalId(7700), new MalId(7800))).await();
    assertThat(found).extracting(m -> m.id().value()).containsExactlyInAnyOrder(77, 78);
    assertThat(fake.requests()).hasSize(1);
    assertThat(fake.signedRequestKinds()).isEmpty();
    client.list(MediaType.ANIME).await();
    assertThat(fake.signedRequestKinds()).containsExactly("Viewer", "MediaListCollection");
  }

  @Test
  void theFakeHidesAdultMediaFromASignedInUserWhoDidNotAskForThem() {
    fake.addMedia(new AniListMedia(new AniListMediaId(77), new MalId(7700), MediaType.ANIME, "OVA", 2, null, null, true, "Adult", null, null));
    String query = "{ Page(perPage: 50) { media(idMal_in: [7700], type: ANIME) { id } } }";
    var web = io.vertx.ext.web.client.WebClient.create(vertx);
    JsonObject body = new JsonObject().put("query", query);
    assertThat(web.postAbs(fake.apiUrl()).bearerTokenAuthentication("t").sendJsonObject(body).await().bodyAsJsonObject()
        .getJsonObject("data").getJsonObject("Page").getJsonArray("media")).isEmpty();
    assertThat(web.postAbs(fake.apiUrl()).sendJsonObject(body).await().bodyAsJsonObject()
        .getJsonObject("data").getJsonObject("Page").getJsonArray("media")).hasSize(1);
    fake.displayAdultContent(1, true);
    assertThat(web.postAbs(fake.apiUrl()).bearerTokenAuthentication("t").sendJsonObject(body).await().bodyAsJsonObject()
        .getJsonObject("data").getJsonObject("Page").getJsonArray("media")).hasSize(1);
  }

  @Test
  void aLookupFollowsHasNextPageWhenSeveralMediaShareMalIds() {
    // 60 AniList media for 50 MAL ids (a recap special shares its series' idMal): AniList's page of 50 says more follow
    for (int i = 1; i <= 50; i++) fake.addMedia(media(i, MediaType.ANIME, i));
    for (int i = 1; i <= 10; i++) fake.addMedia(media(1000 + i, MediaType.ANIME, i));
    List<MalId> ids = IntStream.rangeClosed(1, 50).mapToObj(MalId::new).toList();
    assertThat(client.lookUp(MediaType.ANIME, ids).await()).hasSize(60);
    assertThat(fake.requests()).extracting(r -> new JsonObject(r.body()).getJsonObject("variables").getInteger("page")).containsExactly(1, 2);
  }

  @Test
  void aHiddenEntryAndOnesPastTheCapAreLeftOutOfTheCollectionButAnswerDirectQueries() {
    AniListEntry hidden = new AniListEntry(1, media(1, MediaType.ANIME, 1), AniListStatus.CURRENT, 0, null, 3, 0, 0, false, true, null,
        List.of(), FuzzyDate.EMPTY, FuzzyDate.EMPTY, 2_000_000_000L, 1);
    fake.putEntry(hidden);
    for (int i = 2; i <= 5; i++) {
      fake.putEntry(new AniListEntry(i, media(i, MediaType.ANIME, i), AniListStatus.CURRENT, 0, null, 1, 0, 0, false, false, null,
          List.of(), FuzzyDate.EMPTY, FuzzyDate.EMPTY, 1_000_000_000L + i, 1));
    }
    fake.collectionCap(3);
    assertThat(client.list(MediaType.ANIME).await()).extracting(AniListEntry::id).containsExactlyInAnyOrder(4L, 5L);
    AniListClient.Listed direct = client.entriesFor(MediaType.ANIME, List.of(1, 2, 3, 99)).await();
    assertThat(direct.entries()).extracting(AniListEntry::id).containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(direct.entries()).filteredOn(e -> e.id() == 1).singleElement().satisfies(e -> assertThat(e.hiddenFromStatusLists()).isTrue());
  }

  @Test
  void oneUnreadableEntryIsSkippedByTitleAndIdAndTheRestOfTheListIsRead() {
    fake.putEntry(entry(1, media(1, MediaType.ANIME, 1), List.of()));
    fake.putEntry(entry(2, media(2, MediaType.ANIME, 2), List.of()));
    client.viewer().await();
    fake.rewriteAnswers(body -> body.replaceFirst("\"status\":\"CURRENT\"", "\"status\":\"REWATCHING_SOMEDAY\""));
    AniListClient.Listed read = client.read(MediaType.ANIME).await();
    assertThat(read.entries()).extracting(AniListEntry::id).containsExactly(2L);
    assertThat(read.skipped()).singleElement().satisfies(line -> assertThat(line).contains("Title 1").contains("AniList entry 1"));
  }

  @Test
  void aRefusalToModifyAnEntryKeepsTheTokenWhenViewerStillAnswers() {
    fake.putEntry(entry(1, media(1, MediaType.ANIME, 1), List.of()));
    int[] refreshes = {0};
    AniListClient counting = new AniListClient(vertx, new AniListClient.Settings(fake.apiUrl(), 6000, null,
        Upstream.Options.defaults().withBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).withDeadline(Duration.ofSeconds(3))),
        new TokenSource() {
          @Override
          public Future<String> token() {
            return Future.succeededFuture("anilist-secret-token");
          }

          @Override
          public Future<String> refresh(String rejected) {
            refreshes[0]++;
            return Future.failedFuture(new ServiceException(FailureKind.AUTH_EXPIRED, "signed out"));
          }
        }, new RequestMetrics(new SimpleMeterRegistry()));
    fake.inject(FakeAniList.notAuthorisedToModify(), 1);
    assertThatThrownBy(() -> counting.save(1L, 1, new JsonObject().put("progress", 2)).await())
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.INVALID));
    assertThat(refreshes[0]).isZero();
    assertThat(fake.requests()).extracting(RecordedRequest::kind).containsExactly("SaveMediaListEntry", "Viewer");
    // a 500 is retried and never taken for a sign-out either
    fake.inject(FakeAniList.serverError(), 1);
    assertThat(counting.save(1L, 1, new JsonObject().put("progress", 3)).await().progress()).isEqualTo(3);
    assertThat(refreshes[0]).isZero();
    // AniList's own word for a dead token does sign the user out
    fake.inject(FakeAniList.invalidToken(), 1);
    assertThatThrownBy(() -> counting.save(1L, 1, new JsonObject().put("progress", 4)).await())
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.AUTH_EXPIRED));
    assertThat(refreshes[0]).isEqualTo(1);
  }

  // ---- live sync's reads ---------------------------------------------------------------------------------------

  private static AniListEntry updatedAt(long id, AniListMedia media, long at, boolean hidden) {
    return new AniListEntry(id, media, AniListStatus.CURRENT, 75, null, 3, 0, 1, false, hidden, "notes " + id, List.of(),
        FuzzyDate.EMPTY, FuzzyDate.EMPTY, at, 1_600_000_000L);
  }

  @Test
  void changesOfBothTypesComeNewestFirstInOneRequestAndPageOnOnlyForATypeStillNewerThanItsWatermark() {
    for (int i = 1; i <= 120; i++) {
      fake.putEntry(updatedAt(i, media(i, MediaType.ANIME, 5000 + i), 1_700_000_000L + i, i == 120));
      fake.putEntry(updatedAt(1000 + i, media(1000 + i, MediaType.MANGA, 9000 + i), 1_700_000_000L + i, false));
    }
    client.viewer().await();
    fake.clearLog();

    java.util.Map<MediaType, ChangesSince> since = new java.util.EnumMap<>(MediaType.class);
    since.put(MediaType.ANIME, new ChangesSince(1_700_000_000L + 100, java.util.Set.of(100L)));  // inside the first page of 50
    since.put(MediaType.MANGA, new ChangesSince(1_700_000_000L + 20, java.util.Set.of(1020L)));   // two pages further back
    java.util.Map<MediaType, List<AniListEntry>> changes = client.changes(since).await();

    assertThat(changes.get(MediaType.ANIME).get(0).id()).as("newest first, hidden entries included").isEqualTo(120);
    assertThat(changes.get(MediaType.ANIME)).hasSize(50);
    assertThat(changes.get(MediaType.MANGA)).extracting(AniListEntry::id).contains(1021L, 1020L);
    // page 1 of both in one request; then manga alone, pages 2 and 3
    assertThat(fake.requests()).hasSize(3);
    assertThat(fake.requests().get(0).body()).contains("anime: Page", "manga: Page", "UPDATED_TIME_DESC", "Viewer");
    assertThat(fake.requests().get(1).body()).contains("manga: Page").doesNotContain("anime: Page");
  }

  @Test
  void entriesOfSomeMediaComeInOneRequestPerFiftyIds() {
    for (int i = 1; i <= 60; i++) fake.putEntry(entry(i, media(i, MediaType.ANIME, 5000 + i), List.of()));
    client.viewer().await();
    fake.clearLog();
    List<Integer> ids = new java.util.ArrayList<>();
    for (int i = 1; i <= 70; i++) ids.add(i);  // 61-70 are not on the list

    List<AniListEntry> found = client.entriesFor(MediaType.ANIME, ids).await().entries();

    assertThat(found).hasSize(60);
    assertThat(fake.requests()).hasSize(2);
    assertThat(fake.requests().get(0).body()).contains("mediaId_in");
  }
}
