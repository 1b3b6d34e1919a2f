package io.github.anilistmalsync.mal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.anilistmalsync.bus.FailureKind;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.client.ChangesSince;
import io.github.anilistmalsync.client.RequestMetrics;
import io.github.anilistmalsync.client.TokenSource;
import io.github.anilistmalsync.client.Upstream;
import io.github.anilistmalsync.model.FuzzyDate;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MalStatus;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sandbox.Fault;
import io.github.anilistmalsync.sandbox.FakeMal;
import io.github.anilistmalsync.sandbox.RecordedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class MalClientTest {
  private FakeMal fake;
  private MalClient client;
  private RequestMetrics metrics;
  private Vertx vertx;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    fake = new FakeMal(vertx);
    fake.start(0).await();
    metrics = new RequestMetrics(new SimpleMeterRegistry());
    client = client(1000);
  }

  private MalClient client(double perSecond) {
    Upstream.Options quick = Upstream.Options.defaults().withBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).withDeadline(Duration.ofSeconds(2));
    return new MalClient(vertx, new MalClient.Settings(fake.apiUrl(), perSecond, quick), TokenSource.fixed("mal-token-abc"), metrics);
  }

  @AfterEach
  void stop() {
    fake.stop().await();
  }

  private static MalEntry entry(MediaType type, int id, boolean nsfw) {
    return new MalEntry(new MalId(id), type, "Title " + id, "tv", 12, type == MediaType.MANGA ? 3 : null, nsfw, MalStatus.IN_PROGRESS, 7,
        5, type == MediaType.MANGA ? 1 : 0, false, 2, FuzzyDate.of(2021, 3, null), FuzzyDate.EMPTY, "note " + id, List.of(), 0,
        Instant.parse("2024-01-02T03:04:05Z"));
  }

  @Test
  void aListOfSeveralPagesComesBackWholeFollowingPagingNext() {
    IntStream.rangeClosed(1, 2500).forEach(i -> fake.putEntry(entry(MediaType.ANIME, i, false)));
    List<MalEntry> list = client.list(MediaType.ANIME).await();
    assertThat(list).hasSize(2500);
    assertThat(fake.requests()).filteredOn(r -> r.kind().equals("list")).hasSize(3);
    MalEntry first = list.get(0);
    assertThat(first.comments()).isEqualTo("note 1");
    assertThat(first.repeatCount()).isEqualTo(2);
    assertThat(first.startDate()).isEqualTo(FuzzyDate.of(2021, 3, null));
    assertThat(first.progressTotal()).isEqualTo(12);
    assertThat(first.updatedAt()).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
  }

  @Test
  void nsfwEntriesAreIncluded() {
    fake.putEntry(entry(MediaType.MANGA, 1, false)).putEntry(entry(MediaType.MANGA, 2, true));
    assertThat(client.list(MediaType.MANGA).await()).extracting(e -> e.id().value()).containsExactly(1, 2);
    assertThat(fake.requests().get(0).query()).contains("nsfw=true");
  }

  @Test
  void theFakeReturnsTheDefaultFieldsAndOnlyTheExtraOnesAClientAsksFor() {
    fake.putEntry(entry(MediaType.ANIME, 1, false));
    JsonObject body = rawGet("/v2/users/@me/animelist?fields=list_status%7Bcomments,tags%7D");
    JsonObject status = body.getJsonArray("data").getJsonObject(0).getJsonObject("list_status");
    assertThat(status.fieldNames()).containsExactlyInAnyOrder("status", "score", "num_episodes_watched", "is_rewatching", "updated_at",
        "start_date", "comments", "tags");
  }

  @Test
  void aFailureOnPageThreeOfFourFailsTheWholeFetch() {
    IntStream.rangeClosed(1, 3500).forEach(i -> fake.putEntry(entry(MediaType.ANIME, i, false)));
    fake.inject(Fault.status(500, "{}").when(r -> "2000".equals(r.getParam("offset"))), 10);
    assertThatThrownBy(() -> client.list(MediaType.ANIME).await())
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.TRANSIENT));
  }

  @Test
  void transientFailuresAreRetried() {
    fake.putEntry(entry(MediaType.ANIME, 1, false));
    fake.inject(Fault.status(503, "{}"), 1).inject(Fault.drop(), 1).inject(Fault.malformed(), 1);
    assertThat(client.list(MediaType.ANIME).await()).hasSize(1);
    assertThat(fake.requests()).hasSize(4);
  }

  @Test
  void aThrottlingAnswerIsWaitedOutAndTheRequestIsNotLost() {
    fake.putEntry(entry(MediaType.ANIME, 1, false));
    fake.inject(new Fault(Fault.Kind.STATUS, 429, "{\"error\":\"too_many_requests\"}", 0, r -> true), 1);
    MalEntry saved = client.save(MediaType.ANIME, new MalId(1), new JsonObject().put("score", 9)).await();
    assertThat(saved.score()).isEqualTo(9);
    assertThat(fake.requests()).extracting(RecordedRequest::status).containsExactly(429, 200);
  }

  @Test
  void a403IsTreatedAsThrottling() {
    fake.putEntry(entry(MediaType.ANIME, 1, false));
    fake.inject(Fault.status(403, "{\"error\":\"forbidden\"}"), 1);
    assertThat(client.list(MediaType.ANIME).await()).hasSize(1);
    assertThat(metrics.count("mal", "list", "rate_limited")).isEqualTo(1);
  }

  @Test
  void errorsAreTyped() {
    fake.tokenValidator(t -> false);
    assertThatThrownBy(() -> client.list(MediaType.ANIME).await())
        .isInstanceOfSatisfying(ServiceException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.AUTH_EXPIRED);
          assertThat(e.getMessage()).doesNotContain("mal-token-abc");
        });
    fake.tokenValidator(t -> true);
    assertThatThrownBy(() -> client.save(MediaType.ANIME, new MalId(404404), new JsonObject().put("score", 1)).await())
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND));
    fake.putEntry(entry(MediaType.ANIME, 1, false));
    assertThatThrownBy(() -> client.save(MediaType.ANIME, new MalId(1), new JsonObject().put("score", 11)).await())
        .isInstanceOfSatisfying(ServiceException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.INVALID);
          assertThat(e.getMessage()).contains("invalid score");
        });
  }

  @Test
  void aSaveSendsOnlyTheGivenFieldsAndMalCapsProgressAtTheTotal() {
    fake.putEntry(entry(MediaType.ANIME, 1, false));
    MalEntry saved = client.save(MediaType.ANIME, new MalId(1),
        new JsonObject().put("num_watched_episodes", 2000).put("start_date", "")).await();
    assertThat(saved.progress()).isEqualTo(12);
    assertThat(saved.startDate()).isEqualTo(FuzzyDate.EMPTY);
    assertThat(saved.comments()).isEqualTo("note 1");
    RecordedRequest patch = fake.requests().get(0);
    assertThat(patch.method()).isEqualTo("PATCH");
    assertThat(patch.body()).isEqualTo("num_watched_episodes=2000&start_date=");
  }

  @Test
  void deletingAnAbsentEntryIsNotAnError() {
    fake.putEntry(entry(MediaType.ANIME, 1, false));
    assertThat(client.delete(MediaType.ANIME, new MalId(1)).await()).isTrue();
    assertThat(client.delete(MediaType.ANIME, new MalId(1)).await()).isFalse();
    assertThat(fake.entries(MediaType.ANIME)).isEmpty();
  }

  @Test
  void pacingHoldsTheConfiguredRateUnder200QueuedRequestsAndDoesNotFallFarBelowIt() {
    double perSecond = 20;
    MalClient paced = client(perSecond);
    fake.putEntry(entry(MediaType.ANIME, 1, false));
    List<Future<MalEntry>> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      all.add(paced.save(MediaType.ANIME, new MalId(1), new JsonObject().put("score", i % 10)));
    }
    Future.all(all).await();
    List<Long> times = fake.requests().stream().map(RecordedRequest::atNanos).sorted().toList();
    assertThat(times).hasSize(200);
    int worstWindow = 0;
    for (int i = 0; i < times.size(); i++) {
      int j = i;
      while (j < times.size() && times.get(j) - times.get(i) < 1_000_000_000L) j++;
      worstWindow = Math.max(worstWindow, j - i);
    }
    assertThat(worstWindow).isLessThanOrEqualTo((int) perSecond);
    double seconds = (times.get(times.size() - 1) - times.get(0)) / 1e9;
    assertThat(199 / seconds).isGreaterThanOrEqualTo(perSecond / 2);
  }

  @Test
  void aRefusedTokenIsRefreshedOnceAndOnlyTheFailedRequestIsRepeated() {
    fake.putEntry(entry(MediaType.ANIME, 1, false));
    fake.tokenValidator(t -> t.equals("fresh-token"));
    int[] refreshes = {0};
    TokenSource rotating = new TokenSource() {
      @Override
      public Future<String> token() {
        return Future.succeededFuture(refreshes[0] == 0 ? "stale-token" : "fresh-token");
      }

      @Override
      public Future<String> refresh(String rejected) {
        refreshes[0]++;
        assertThat(rejected).isEqualTo("stale-token");
        return Future.succeededFuture("fresh-token");
      }
    };
    MalClient refreshing = new MalClient(vertx, new MalClient.Settings(fake.apiUrl(), 1000,
        Upstream.Options.defaults().withBackoff(Duration.ofMillis(10), Duration.ofMillis(50))), rotating, metrics);
    assertThat(refreshing.list(MediaType.ANIME).await()).hasSize(1);
    assertThat(refreshes[0]).isEqualTo(1);
    assertThat(fake.requests()).extracting(RecordedRequest::status).containsExactly(401, 200);
  }

  @Test
  void aTokenRefusedAgainAfterTheRefreshGoesUpAsAuthExpired() {
    fake.tokenValidator(t -> false);
    TokenSource neverGood = new TokenSource() {
      @Override
      public Future<String> token() {
        return Future.succeededFuture("t1");
      }

      @Override
      public Future<String> refresh(String rejected) {
        return Future.succeededFuture("t2");
      }
    };
    MalClient c = new MalClient(vertx, new MalClient.Settings(fake.apiUrl(), 1000, Upstream.Options.defaults()), neverGood, metrics);
    assertThatThrownBy(() -> c.list(MediaType.ANIME).await())
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.AUTH_EXPIRED));
    assertThat(fake.requests()).hasSize(2);
  }

  private static final String AWKWARD_NOTE = "Don't & \"this\" <b> &amp; already";

  /**
   * A request to the fake as sent by hand, its answer read whole by the web client (a raw client's body, asked for
   * after the answer has ended, never arrives) and bounded in time.
   */
  private io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> raw(io.vertx.core.http.HttpMethod method, String path, String form) {
    var request = io.vertx.ext.web.client.WebClient.create(vertx).request(method, fake.port(), "127.0.0.1", path)
        .putHeader("Authorization", "Bearer t").timeout(30_000);
    return (form == null ? request.send() : request.putHeader("Content-Type", "application/x-www-form-urlencoded")
        .sendBuffer(io.vertx.core.buffer.Buffer.buffer(form))).await();
  }

  private JsonObject rawGet(String pathAndQuery) {
    return raw(io.vertx.core.http.HttpMethod.GET, pathAndQuery, null).bodyAsJsonObject();
  }

  @Test
  void notesWithEntitiesRoundTripByteForByte() {
    fake.putEntry(entry(MediaType.ANIME, 1, false).withComments(AWKWARD_NOTE));
    String wire = rawGet("/v2/users/@me/animelist?fields=list_status%7Bcomments%7D")
        .getJsonArray("data").getJsonObject(0).getJsonObject("list_status").getString("comments");
    assertThat(wire).isEqualTo("Don&#039;t &amp; &quot;this&quot; &lt;b&gt; &amp;amp; already");
    assertThat(client.list(MediaType.ANIME).await().get(0).comments()).isEqualTo(AWKWARD_NOTE);

    MalEntry saved = client.save(MediaType.ANIME, new MalId(1), new JsonObject().put("comments", AWKWARD_NOTE + "!")).await();
    assertThat(saved.comments()).isEqualTo(AWKWARD_NOTE + "!");
    assertThat(fake.entry(MediaType.ANIME, new MalId(1)).comments()).isEqualTo(AWKWARD_NOTE + "!");
  }

  private io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> rawPatch(String path, String form, StringBuilder body) {
    var resp = raw(io.vertx.core.http.HttpMethod.PATCH, path, form);
    body.append(resp.bodyAsString());
    return resp;
  }

  @Test
  void theFakeRefusesAFormWithAFieldMalDoesNotKnowAndTheClientNeverSendsOne() {
    fake.putEntry(entry(MediaType.ANIME, 1, false));
    StringBuilder body = new StringBuilder();
    // the read side calls it num_episodes_watched; the form calls it num_watched_episodes
    assertThat(rawPatch("/v2/anime/1/my_list_status", "num_episodes_watched=3", body).statusCode()).isEqualTo(400);
    assertThat(new JsonObject(body.toString())).isEqualTo(new JsonObject()
        .put("error", "bad_request").put("message", "This form should not contain extra fields."));
    assertThat(fake.entry(MediaType.ANIME, new MalId(1)).progress()).isEqualTo(5);
    fake.clearLog();

    assertThatThrownBy(() -> client.save(MediaType.ANIME, new MalId(1), new JsonObject().put("num_chapters_read", 3)).await())
        .isInstanceOfSatisfying(ServiceException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.INVALID);
          assertThat(e.getMessage()).contains("num_chapters_read", "MAL id 1");
        });
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void aTitleNotApprovedYetIsRefusedOnceNamingItsIdAndIsNotRetried() {
    fake.addTitle(new FakeMal.Title(new MalId(777), MediaType.ANIME, "Brand New Show", "tv", 12, null, false)).notApproved(new MalId(777));
    assertThatThrownBy(() -> client.save(MediaType.ANIME, new MalId(777), "Brand New Show",
            new JsonObject().put("status", "watching").put("num_watched_episodes", 1)).await())
        .isInstanceOfSatisfying(ServiceException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.REFUSED);
          assertThat(e.getMessage()).contains("Brand New Show", "777", "invalid_content", "not approved");
        });
    assertThat(fake.requests()).hasSize(1);
    assertThat(fake.entry(MediaType.ANIME, new MalId(777))).isNull();
  }

  private static JsonObject item(int id, String title, JsonObject listStatus) {
    return new JsonObject().put("node", new JsonObject().put("id", id).put("title", title)).put("list_status", listStatus);
  }

  @Test
  void oneOddEntryIsSkippedAndNamedWhileTheRestOfTheListArrives() {
    JsonObject good = new JsonObject().put("status", "watching").put("score", 7).put("num_episodes_watched", 3)
        .put("updated_at", "2024-01-02T03:04:05+00:00");
    String page = new JsonObject().put("data", new io.vertx.core.json.JsonArray()
            .add(item(1, "Fine Show", good))
            .add(item(2, "Odd Status", good.copy().put("status", "rewatching")))
            .add(item(3, "Odd Date", good.copy().put("start_date", "soon")))
            .add(item(4, "No Status", good.copy().putNull("status")))
            .add(item(5, "Also Fine", good)))
        .put("paging", new JsonObject()).encode();
    fake.inject(Fault.status(200, page), 1);
    io.github.anilistmalsync.bus.FetchedLists.MalList list = client.fetch(MediaType.ANIME).await();
    assertThat(list.entries()).extracting(e -> e.id().value()).containsExactly(1, 5);
    assertThat(list.skipped()).hasSize(3);
    assertThat(list.skipped().get(0)).contains("Odd Status", "MAL id 2", "rewatching");
    assertThat(list.skipped().get(1)).contains("Odd Date", "MAL id 3", "soon");
    assertThat(list.skipped().get(2)).contains("No Status", "MAL id 4", "status");
  }

  @Test
  void damageToThePageItselfStillFailsTheWholeFetch() {
    fake.putEntry(entry(MediaType.ANIME, 1, false));
    for (String broken : List.of("{\"paging\":{}}", "{\"data\":[{\"list_status\":{}}],\"paging\":{}}", "not json",
        "{\"data\":[{\"node\":{\"title\":\"no id\"},\"list_status\":{}}],\"paging\":{}}", "{\"data\":[],\"paging\":[]}")) {
      fake.inject(Fault.status(200, broken), 4);
      MalClient fresh = client(1000);  // its own breaker: the cases must not add up to an open one
      assertThatThrownBy(() -> fresh.fetch(MediaType.ANIME).await()).as(broken)
          .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.TRANSIENT));
    }
  }

  @Test
  void aDateSetWithoutAYearIsReadAsUnknownNotAsCleared() {
    fake.putEntry(entry(MediaType.ANIME, 1, false)).putEntry(entry(MediaType.ANIME, 2, false));
    fake.dateWithoutYear(MediaType.ANIME, new MalId(1), true);
    JsonObject wire = rawGet("/v2/users/@me/animelist?fields=list_status%7Bstart_date,finish_date%7D")
        .getJsonArray("data").getJsonObject(0).getJsonObject("list_status");
    assertThat(wire.containsKey("start_date")).isTrue();
    assertThat(wire.getValue("start_date")).isNull();
    assertThat(wire.containsKey("finish_date")).isFalse();

    List<MalEntry> list = client.list(MediaType.ANIME).await();
    assertThat(list.get(0).startDateUnknown()).isTrue();
    assertThat(list.get(0).startDate()).isEqualTo(FuzzyDate.EMPTY);
    assertThat(list.get(0).finishDateUnknown()).isFalse();
    assertThat(list.get(1).startDateUnknown()).isFalse();
    assertThat(list.get(1).startDate()).isEqualTo(FuzzyDate.of(2021, 3, null));
  }

  @Test
  void malsThrottling403CarriesNoRetryAfterAndTheClientWaitsItOutOnItsOwnBackoff() {
    fake.putEntry(entry(MediaType.ANIME, 1, false));
    fake.throttle(1);
    io.vertx.ext.web.client.HttpResponse<?>[] last = {null};
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      body.setLength(0);
      var resp = raw(io.vertx.core.http.HttpMethod.GET, "/v2/users/@me/animelist", null);
      body.append(resp.bodyAsString());
      last[0] = resp;
    }
    assertThat(last[0].statusCode()).isEqualTo(403);
    assertThat(last[0].getHeader("Retry-After")).isNull();
    assertThat(body.toString()).isEqualTo("{\"error\":\"forbidden\",\"message\":\"\"}");

    fake.throttle(0).clearLog();
    fake.inject(Fault.status(403, "{\"error\":\"forbidden\",\"message\":\"\"}"), 3);
    MalEntry saved = client.save(MediaType.ANIME, new MalId(1), new JsonObject().put("score", 9)).await();
    assertThat(saved.score()).isEqualTo(9);
    assertThat(fake.requests()).extracting(RecordedRequest::status).containsExactly(403, 403, 403, 200);
    assertThat(metrics.count("mal", "save", "rate_limited")).isEqualTo(3);
  }

  @Test
  void everyPageAsksForNsfwEntriesAndEveryFieldAndEveryRequestNamesTheService() {
    IntStream.rangeClosed(1, 2500).forEach(i -> fake.putEntry(entry(MediaType.ANIME, i, i % 10 == 0)));
    List<MalEntry> list = client.list(MediaType.ANIME).await();
    assertThat(list).hasSize(2500).allSatisfy(e -> assertThat(e.comments()).startsWith("note "));
    List<RecordedRequest> pages = fake.requests().stream().filter(r -> r.kind().equals("list")).toList();
    assertThat(pages).hasSize(3).allSatisfy(r -> {
      String query = java.net.URLDecoder.decode(r.query(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(query).contains("nsfw=true").contains("comments").contains("num_times_rewatched").contains("start_date");
    });
    assertThat(fake.userAgents()).hasSize(3).allSatisfy(ua -> assertThat(ua).matches("anilist-mal-sync/\\S+ \\(\\+https://\\S+\\)"));

    MalClient named = new MalClient(vertx, new MalClient.Settings(fake.apiUrl(), 1000, Upstream.Options.defaults(), "my-sync/2.0", null),
        TokenSource.fixed("t"), metrics);
    named.save(MediaType.ANIME, new MalId(1), new JsonObject().put("score", 3)).await();
    assertThat(fake.userAgents()).last().isEqualTo("my-sync/2.0");
  }

  @Test
  void aTokenOfAnotherMalUserIsRefusedNamingBothNamesAndNoListIsRead() {
    fake.putEntry(entry(MediaType.ANIME, 1, false)).user(42, "SomeoneElse");
    MalClient strict = new MalClient(vertx, new MalClient.Settings(fake.apiUrl(), 1000, Upstream.Options.defaults(), null, "Me"),
        TokenSource.fixed("t"), metrics);
    assertThatThrownBy(() -> strict.fetch(MediaType.ANIME).await())
        .isInstanceOfSatisfying(ServiceException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.INVALID);
          assertThat(e.getMessage()).contains("SomeoneElse", "Me", "myanimelist.username");
        });
    assertThat(fake.requests()).extracting(RecordedRequest::kind).containsExactly("user");

    fake.user(7, "me");  // names compare as MAL compares them: without regard to case
    assertThat(strict.fetch(MediaType.ANIME).await().entries()).hasSize(1);
    // without myanimelist.username nobody is asked: a read costs its pages only
    fake.clearLog();
    client.fetch(MediaType.ANIME).await();
    assertThat(fake.requests()).extracting(RecordedRequest::kind).containsExactly("list");
  }

  // ---- live sync's reads ---------------------------------------------------------------------------------------

  private static MalEntry updatedAt(MalEntry e, Instant at) {
    return new MalEntry(e.id(), e.type(), e.title(), e.mediaType(), e.progressTotal(), e.volumesTotal(), e.nsfw(), e.status(), e.score(),
        e.progress(), e.volumesRead(), e.repeating(), e.repeatCount(), e.startDate(), e.finishDate(), e.comments(), e.tags(), e.priority(), at);
  }

  private static ChangesSince since(Instant at, Integer... seen) {
    java.util.Set<Long> ids = new java.util.HashSet<>();
    for (int id : seen) ids.add((long) id);
    return new ChangesSince(at.getEpochSecond(), ids);
  }

  @Test
  void changesComeNewestFirstAndPageOnOnlyWhileAPageIsStillNewerThanTheWatermark() {
    Instant base = Instant.parse("2026-01-01T00:00:00Z");
    IntStream.rangeClosed(1, 100).forEach(i -> fake.putEntry(updatedAt(entry(MediaType.ANIME, i, i % 10 == 0), base.plusSeconds(i))));

    List<MalEntry> recent = client.changes(MediaType.ANIME, since(base.plusSeconds(90))).await();

    assertThat(recent.get(0).id().value()).isEqualTo(100);  // newest first, NSFW included
    assertThat(recent).extracting(e -> e.id().value()).startsWith(100, 99, 98);
    assertThat(fake.requests()).hasSize(1);  // the first page of 25 already ends before the watermark
    assertThat(fake.requests().get(0).query()).contains("sort=list_updated_at", "limit=25", "nsfw=true");

    fake.clearLog();
    List<MalEntry> more = client.changes(MediaType.ANIME, since(base.plusSeconds(60))).await();
    assertThat(fake.requests()).hasSize(2);
    assertThat(more).extracting(e -> e.id().value()).contains(61, 60);

    fake.clearLog();
    client.changes(MediaType.ANIME, null).await();
    assertThat(fake.requests()).as("without a watermark: the first page only").hasSize(1);
  }

  @Test
  void aPageAllInTheWatermarksSecondAndAlreadyReadIsNotPagedForButOneWithAnUnreadEntryOfThatSecondIs() {
    Instant base = Instant.parse("2026-01-01T00:00:00Z");
    Instant bulk = base.plusSeconds(500);
    // a bulk edit: 40 entries stamped in one second, more than a page of 25; older entries behind them
    IntStream.rangeClosed(1, 60).forEach(i -> fake.putEntry(updatedAt(entry(MediaType.ANIME, i, false), i <= 40 ? bulk : base.plusSeconds(i))));
    List<MalEntry> firstPage = client.changes(MediaType.ANIME, null).await();
    Integer[] read = firstPage.stream().map(e -> e.id().value()).toArray(Integer[]::new);
    fake.clearLog();

    // an idle poll: the page holds only entries of the watermark's second, every one read before
    client.changes(MediaType.ANIME, since(bulk, read)).await();
    assertThat(fake.requests()).as("nothing on the page is news: no page more").hasSize(1);

    // an edit landed in that very second after the last read: the page shows it, so the rest of the second is read
    fake.clearLog();
    Integer[] allButOne = java.util.Arrays.stream(read).skip(1).toArray(Integer[]::new);
    List<MalEntry> again = client.changes(MediaType.ANIME, since(bulk, allButOne)).await();
    assertThat(fake.requests()).hasSize(2);
    assertThat(again).extracting(e -> e.id().value()).containsAll(IntStream.rangeClosed(1, 40).boxed().toList());
  }

  @Test
  void oneTitlesEntryComesWithItsListStatusOrIsNullWhenNotOnTheList() {
    fake.putEntry(entry(MediaType.MANGA, 7, false));
    fake.addTitle(new FakeMal.Title(new MalId(8), MediaType.MANGA, "Not listed", "manga", 40, 4, false));

    MalEntry listed = client.entry(MediaType.MANGA, new MalId(7)).await();
    assertThat(listed.progress()).isEqualTo(5);
    assertThat(listed.volumesRead()).isEqualTo(1);
    assertThat(listed.comments()).isEqualTo("note 7");
    assertThat(listed.progressTotal()).isEqualTo(12);
    assertThat(client.entry(MediaType.MANGA, new MalId(8)).await()).isNull();
    assertThat(client.entry(MediaType.MANGA, new MalId(9)).await()).as("a title MAL does not have").isNull();
    assertThat(fake.requests()).extracting(r -> r.path()).containsExactly("/v2/manga/7", "/v2/manga/8", "/v2/manga/9");
    assertThat(fake.requests().get(0).query()).contains("my_list_status");
    assertThat(fake.writes()).isZero();
  }
}
