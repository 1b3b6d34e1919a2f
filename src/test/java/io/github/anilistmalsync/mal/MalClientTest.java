package io.github.anilistmalsync.mal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.anilistmalsync.bus.FailureKind;
import io.github.anilistmalsync.bus.ServiceException;
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
  void theFakeReturnsOnlyTheFieldsAClientAsksFor() {
    fake.putEntry(entry(MediaType.ANIME, 1, false));
    JsonObject body = vertx.createHttpClient().request(io.vertx.core.http.HttpMethod.GET, fake.port(), "127.0.0.1",
            "/v2/users/@me/animelist?fields=list_status%7Bstatus,score%7D")
        .compose(req -> req.putHeader("Authorization", "Bearer t").send())
        .compose(resp -> resp.body()).map(b -> b.toJsonObject()).await();
    JsonObject status = body.getJsonArray("data").getJsonObject(0).getJsonObject("list_status");
    assertThat(status.fieldNames()).containsExactlyInAnyOrder("status", "score");
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

  // ---- live sync's reads ---------------------------------------------------------------------------------------

  private static MalEntry updatedAt(MalEntry e, Instant at) {
    return new MalEntry(e.id(), e.type(), e.title(), e.mediaType(), e.progressTotal(), e.volumesTotal(), e.nsfw(), e.status(), e.score(),
        e.progress(), e.volumesRead(), e.repeating(), e.repeatCount(), e.startDate(), e.finishDate(), e.comments(), e.tags(), e.priority(), at);
  }

  @Test
  void changesComeNewestFirstAndPageOnOnlyWhileAPageStillEndsAtOrAfterTheWatermark() {
    Instant base = Instant.parse("2026-01-01T00:00:00Z");
    IntStream.rangeClosed(1, 100).forEach(i -> fake.putEntry(updatedAt(entry(MediaType.ANIME, i, i % 10 == 0), base.plusSeconds(i))));

    List<MalEntry> recent = client.changes(MediaType.ANIME, base.plusSeconds(90)).await();

    assertThat(recent.get(0).id().value()).isEqualTo(100);  // newest first, NSFW included
    assertThat(recent).extracting(e -> e.id().value()).startsWith(100, 99, 98);
    assertThat(fake.requests()).hasSize(1);  // the first page of 25 already ends before the watermark
    assertThat(fake.requests().get(0).query()).contains("sort=list_updated_at", "limit=25", "nsfw=true");

    fake.clearLog();
    List<MalEntry> more = client.changes(MediaType.ANIME, base.plusSeconds(60)).await();
    assertThat(fake.requests()).hasSize(2);
    assertThat(more).extracting(e -> e.id().value()).contains(61, 60);

    fake.clearLog();
    client.changes(MediaType.ANIME, null).await();
    assertThat(fake.requests()).as("without a watermark: the first page only").hasSize(1);
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
