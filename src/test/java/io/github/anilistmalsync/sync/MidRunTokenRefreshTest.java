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
 * each refused request is sent again with the fresh token, so the run still ends "ok".
 */
@ExtendWith(VertxExtension.class)
class MidRunTokenRefreshTest {
  private SyncHarness harness;

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.aniList.stop().await();
      harness.mal.stop().await();
    }
  }

  @Test
  void aMalTokenRefusedMidRunIsRefreshedOnceAndTheRunEndsOk(Vertx vertx, @TempDir Path dir) throws Exception {
    SyncHarness h = harness = new SyncHarness(vertx, dir, ScoreFormat.POINT_10).seed(300, 5);
    h.aniList.start(0).await();
    h.mal.start(0).await();
    int callbackPort;
    try (ServerSocket s = new ServerSocket(0)) {
      callbackPort = s.getLocalPort();
    }
    String redirect = "http://127.0.0.1:" + callbackPort + "/callback";
    FakeOAuth malOAuth = new FakeOAuth(FakeOAuth.Style.MAL, "mal-id", "mal-secret", redirect);
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

  /** Starts MAL's sign-in and follows the fake's approval back to the token service's callback, as a browser would. */
  private static void signInToMal(Vertx vertx) {
    String authorize = vertx.eventBus().<JsonObject>request(Addresses.AUTH_SIGNIN_START, new JsonObject().put("service", "mal"))
        .await().body().getString("authorizeUrl");
    WebClient browser = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    try {
      HttpResponse<Buffer> approval = browser.getAbs(authorize).send().await();
      assertThat(approval.statusCode()).isEqualTo(302);
      assertThat(browser.getAbs(approval.getHeader("Location")).send().await().bodyAsString()).contains("Signed in to MyAnimeList");
    } finally {
      browser.close();
    }
  }
}
