package io.github.anilistmalsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.anilist.AniListVerticle;
import io.github.anilistmalsync.auth.AuthVerticle;
import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.client.TokenSource;
import io.github.anilistmalsync.client.Upstream;
import io.github.anilistmalsync.config.AppConfig;
import io.github.anilistmalsync.mal.MalVerticle;
import io.github.anilistmalsync.model.ScoreFormat;
import io.github.anilistmalsync.sandbox.FakeOAuth;
import io.github.anilistmalsync.sandbox.RecordedRequest;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;
import io.github.anilistmalsync.sandbox.Fault;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import io.vertx.junit5.VertxExtension;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole service's token path under a sync: MAL stops accepting the access token part way through a run, the
 * client's 401 reaches the token service over the bus, which refreshes once however many requests were refused, and
 * each refused request is sent again with the fresh token, so the run still ends "ok". And when the refresh itself
 * fails for a reason that says nothing about the refresh token, the run fails cleanly and the next one signs in with
 * nothing more than the kept refresh token.
 */
@ExtendWith(VertxExtension.class)
class MidRunTokenRefreshTest {
  private SyncHarness harness;

  @AfterEach
  void stop() {
    if (harness != null) harness.close();
  }

  private FakeOAuth malOAuth;

  /** The harness with the real token service in front of MAL (signed in through the start link), AniList's token fixed. */
  private SyncHarness startSignedIn(Vertx vertx, Path dir) throws Exception {
    SyncHarness h = harness = new SyncHarness(vertx, dir, ScoreFormat.POINT_10).seed(300, 5);
    h.aniList.start(0).await();
    h.mal.start(0).await();
    int callbackPort;
    try (ServerSocket s = new ServerSocket(0)) {
      callbackPort = s.getLocalPort();
    }
    String redirect = "http://127.0.0.1:" + callbackPort + "/callback";
    malOAuth = new FakeOAuth(FakeOAuth.Style.MAL, "mal-id", "mal-secret", redirect);
    h.mal.withOAuth(malOAuth);

    JsonObject conf = new JsonObject()
        .put(AppConfig.DATA_DIR, dir.toString())
        .put("oauth", new JsonObject().put("port", callbackPort).put("redirect_uri", redirect))
        .put("web", new JsonObject().put("host", "127.0.0.1"))
        .put("anilist", new JsonObject().put("client_id", "ani-id").put("client_secret", "ani-secret")
            .put("api_url", h.aniList.apiUrl()).put("requests_per_minute", 60_000))
        .put("myanimelist", new JsonObject().put("client_id", "mal-id").put("client_secret", "mal-secret")
            .put("auth_url", "http://127.0.0.1:" + h.mal.port() + "/v1/oauth2/authorize")
            .put("token_url", "http://127.0.0.1:" + h.mal.port() + "/v1/oauth2/token")
            .put("api_url", h.mal.apiUrl()).put("requests_per_second", 1_000))
        .put("sync", new JsonObject().put("mode", "bidirectional"));
    DeploymentOptions options = new DeploymentOptions().setConfig(conf);
    vertx.deployVerticle(new AuthVerticle(), options).await();
    signInToMal(vertx);
    assertThat(malOAuth.exchangeCount()).isEqualTo(1);

    Upstream.Options quick = Upstream.Options.defaults().withBackoff(Duration.ofMillis(10), Duration.ofMillis(100))
        .withDeadline(Duration.ofSeconds(2)).withBreaker(8, Duration.ofMillis(200));
    vertx.deployVerticle(new AniListVerticle(TokenSource.fixed("a-token"), quick), options).await();
    vertx.deployVerticle(new MalVerticle(null, quick), options).await();  // no token source given: the token service's, over the bus
    vertx.deployVerticle(new SyncCoordinatorVerticle(Clock.systemUTC(), false), options).await();
    return h;
  }

  @Test
  void aMalTokenRefusedMidRunIsRefreshedOnceAndTheRunEndsOk(Vertx vertx, @TempDir Path dir) throws Exception {
    SyncHarness h = startSignedIn(vertx, dir);

    // MAL stops accepting the signed-in access token at its 20th request: the lists are read, writes are under way
    AtomicInteger requests = new AtomicInteger();
    h.mal.tokenValidator(token -> {
      if (requests.incrementAndGet() == 20) malOAuth.revokeAccessTokens();
      return malOAuth.isValid(token);
    });
    assertThat(h.disagreements()).isNotEmpty();
    JsonObject result = h.sync();

    assertThat(result.getString("result")).as(result.encodePrettily()).isEqualTo("ok");
    assertThat(h.disagreements()).isEmpty();
    assertThat(malOAuth.refreshCount()).isEqualTo(1);
    List<RecordedRequest> log = h.mal.requests();
    List<RecordedRequest> refused = log.stream().filter(r -> r.status() == 401).toList();
    assertThat(refused).as("requests MAL refused").isNotEmpty();
    assertThat(refused).filteredOn(RecordedRequest::isWrite).as("writes MAL refused").isNotEmpty();
    // (the fake refuses before reading a body, so a refused write is matched by its method and path)
    for (RecordedRequest r : refused) {
      assertThat(log).as("%s %s sent again after the refresh", r.method(), r.path())
          .anyMatch(again -> again.atNanos() > r.atNanos() && again.status() == 200 && again.method().equals(r.method())
              && again.path().equals(r.path()));
    }

    h.aniList.clearLog();
    h.mal.clearLog();
    assertThat(h.sync().getString("result")).isEqualTo("ok");
    assertThat(h.writes()).isZero();
    assertThat(malOAuth.refreshCount()).isEqualTo(1);
  }

  static java.util.stream.Stream<Arguments> transientRefreshFailures() {
    return java.util.stream.Stream.of(
        Arguments.of("503 with no body", Fault.status(503, "")),
        Arguments.of("500 with a JSON body", Fault.status(500, "{\"error\":\"internal_server_error\",\"message\":\"\"}")),
        Arguments.of("HTML 403 page", Fault.html(403, "<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body>Access denied</body></html>")));
  }

  @ParameterizedTest(name = "a MAL refresh answered with a {0} fails the run cleanly and the next sync needs no sign-in")
  @MethodSource("transientRefreshFailures")
  void aFailedMalRefreshIsNotADeadSignIn(String what, Fault fault, Vertx vertx, @TempDir Path dir) throws Exception {
    SyncHarness h = startSignedIn(vertx, dir);
    String refreshToken = savedMalRefreshToken(dir);
    malOAuth.revokeAccessTokens();  // MAL refuses the access token: the run must refresh
    h.mal.inject(fault.when(r -> r.path().endsWith("/oauth2/token")), 100);

    JsonObject failed = h.sync();
    assertThat(failed.getString("result")).as(failed.encodePrettily()).isEqualTo("failed");
    assertThat(failed.encode()).doesNotContain("needs sign-in");
    assertThat(malOAuth.tokenRequests("refresh_token")).isPositive();
    assertThat(savedMalRefreshToken(dir)).as("the refresh token is kept").isEqualTo(refreshToken);

    h.mal.calm();  // the token endpoint's bad minute is over
    JsonObject next = h.sync();
    assertThat(next.getString("result")).as(next.encodePrettily()).isEqualTo("ok");
    assertThat(h.disagreements()).isEmpty();
    assertThat(malOAuth.exchangeCount()).as("signed in only once").isEqualTo(1);
    assertThat(malOAuth.refreshCount()).isEqualTo(1);
  }

  @Test
  void aMalRefreshRefusedWithInvalidGrantMeansSignInAgainAndTheLogGivesNothingAway(Vertx vertx, @TempDir Path dir) throws Exception {
    SyncHarness h = startSignedIn(vertx, dir);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    try {
      malOAuth.revokeAccessTokens();
      h.mal.inject(Fault.status(400, "{\"error\":\"invalid_grant\",\"message\":\"The refresh token is invalid.\",\"hint\":\"\"}")
          .when(r -> r.path().endsWith("/oauth2/token")), 1);
      JsonObject result = h.sync();
      assertThat(result.getString("result")).as(result.encodePrettily()).isEqualTo("needsSignIn");
      assertThat(new JsonObject(Files.readString(dir.resolve("tokens.json"))).getJsonObject("tokens").containsKey("mal")).isFalse();
    } finally {
      root.detachAppender(logs);
    }
    StringBuilder logged = new StringBuilder();
    logs.list.forEach(e -> logged.append(e.getFormattedMessage()).append('\n'));
    assertThat(logged).contains("MyAnimeList needs sign-in").contains("/start/mal");
    assertThat(logged.toString()).doesNotContain("state=").doesNotContain("code_challenge").doesNotContain("code=");
    for (String token : malOAuth.issuedTokens()) assertThat(logged.toString()).doesNotContain(token);
  }

  private static String savedMalRefreshToken(Path dir) throws Exception {
    return new JsonObject(Files.readString(dir.resolve("tokens.json"))).getJsonObject("tokens").getJsonObject("mal").getString("refresh_token");
  }

  /** Opens MAL's start link and follows the fake's approval back to the token service's callback, as a browser would. */
  private static void signInToMal(Vertx vertx) {
    String start = vertx.eventBus().<JsonObject>request(Addresses.AUTH_SIGNIN_START, new JsonObject().put("service", "mal"))
        .await().body().getString("startUrl");
    WebClientSession browser = WebClientSession.create(WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false)));
    try {
      String authorize = browser.getAbs(start).send().await().getHeader("Location");
      HttpResponse<Buffer> approval = browser.getAbs(authorize).send().await();
      assertThat(approval.statusCode()).isEqualTo(302);
      assertThat(browser.getAbs(approval.getHeader("Location")).send().await().bodyAsString()).contains("Signed in to MyAnimeList");
    } finally {
      browser.close();
    }
  }
}
