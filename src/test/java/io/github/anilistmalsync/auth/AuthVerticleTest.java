package io.github.anilistmalsync.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.bus.FailureKind;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.config.AppConfig;
import io.github.anilistmalsync.sandbox.FakeAniList;
import io.github.anilistmalsync.sandbox.FakeMal;
import io.github.anilistmalsync.sandbox.FakeOAuth;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Sign-in, refresh and the token store against the fakes' OAuth endpoints, following redirects as a browser does. */
@ExtendWith(VertxExtension.class)
class AuthVerticleTest {
  private Vertx vertx;
  private FakeAniList aniList;
  private FakeMal mal;
  private FakeOAuth aniOAuth;
  private FakeOAuth malOAuth;
  private WebClient browser;
  private Path dir;
  private int callbackPort;
  private ListAppender<ILoggingEvent> logs;
  private final BlockingQueue<JsonObject> states = new LinkedBlockingQueue<>();

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) throws Exception {
    this.vertx = vertx;
    this.dir = dir;
    try (ServerSocket s = new ServerSocket(0)) {
      callbackPort = s.getLocalPort();
    }
    String redirect = "http://127.0.0.1:" + callbackPort + "/callback";
    aniList = new FakeAniList(vertx);
    mal = new FakeMal(vertx);
    aniList.start(0).await();
    mal.start(0).await();
    aniOAuth = new FakeOAuth(FakeOAuth.Style.ANILIST, "ani-id", "ani-secret", redirect);
    malOAuth = new FakeOAuth(FakeOAuth.Style.MAL, "mal-id", "mal-secret", redirect);
    aniList.withOAuth(aniOAuth);
    mal.withOAuth(malOAuth);
    browser = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    vertx.eventBus().<JsonObject>consumer(Addresses.AUTH_STATE, m -> states.add(m.body()));
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    String logged = logText();
    for (String token : aniOAuth.issuedTokens()) assertThat(logged).doesNotContain(token);
    for (String token : malOAuth.issuedTokens()) assertThat(logged).doesNotContain(token);
    assertThat(logged).doesNotContain("ani-secret").doesNotContain("mal-secret");
  }

  private void deploy() {
    JsonObject conf = new JsonObject()
        .put(AppConfig.DATA_DIR, dir.toString())
        .put("oauth", new JsonObject().put("port", callbackPort).put("redirect_uri", "http://127.0.0.1:" + callbackPort + "/callback"))
        .put("web", new JsonObject().put("host", "127.0.0.1"))
        .put("anilist", new JsonObject().put("client_id", "ani-id").put("client_secret", "ani-secret")
            .put("auth_url", "http://127.0.0.1:" + aniList.port() + "/api/v2/oauth/authorize")
            .put("token_url", "http://127.0.0.1:" + aniList.port() + "/api/v2/oauth/token"))
        .put("myanimelist", new JsonObject().put("client_id", "mal-id").put("client_secret", "mal-secret")
            .put("auth_url", "http://127.0.0.1:" + mal.port() + "/v1/oauth2/authorize")
            .put("token_url", "http://127.0.0.1:" + mal.port() + "/v1/oauth2/token"));
    vertx.deployVerticle(new AuthVerticle(), new DeploymentOptions().setConfig(conf)).await();
  }

  private String authorizeUrl(String service) {
    return vertx.eventBus().<JsonObject>request(Addresses.AUTH_SIGNIN_START, new JsonObject().put("service", service)).await().body().getString("authorizeUrl");
  }

  /** Opens the authorize URL and follows the fake's redirect back to our callback, as a browser would. */
  private HttpResponse<io.vertx.core.buffer.Buffer> signIn(String authorizeUrl) {
    HttpResponse<io.vertx.core.buffer.Buffer> redirect = browser.getAbs(authorizeUrl).send().await();
    assertThat(redirect.statusCode()).isEqualTo(302);
    return browser.getAbs(redirect.getHeader("Location")).send().await();
  }

  private Future<JsonObject> token(String service) {
    return vertx.eventBus().<JsonObject>request(Addresses.AUTH_TOKEN_GET, new JsonObject().put("service", service)).map(m -> m.body());
  }

  @Test
  void signingInToBothServicesSavesTokensTheApisAccept() throws Exception {
    deploy();
    assertThat(signIn(authorizeUrl("anilist")).bodyAsString()).contains("Signed in to AniList");
    String malUrl = authorizeUrl("mal");
    assertThat(malUrl).contains("code_challenge_method=plain");
    assertThat(signIn(malUrl).bodyAsString()).contains("Signed in to MyAnimeList");
    String aniToken = token("anilist").await().getString("accessToken");
    String malToken = token("mal").await().getString("accessToken");
    assertThat(aniOAuth.isValid(aniToken)).isTrue();
    assertThat(malOAuth.isValid(malToken)).isTrue();
    Path file = dir.resolve("tokens.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    JsonObject saved = new JsonObject(Files.readString(file));
    assertThat(saved.getInteger("version")).isEqualTo(1);
    assertThat(saved.getJsonObject("tokens").getJsonObject("anilist").getString("expires_at")).endsWith("Z");
    assertThat(logText()).doesNotContain(aniToken).doesNotContain(malToken);
  }

  @Test
  void aWrongStateIsRejectedAndNothingIsSaved() {
    deploy();
    String url = authorizeUrl("anilist").replaceAll("state=[^&]+", "state=forged");
    HttpResponse<io.vertx.core.buffer.Buffer> page = signIn(url);
    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(page.bodyAsString()).contains("unknown or has expired");
    assertThat(Files.exists(dir.resolve("tokens.json"))).isFalse();
  }

  @Test
  void aWrongPkceVerifierIsRejectedByTheFakeAndReported() {
    deploy();
    String url = authorizeUrl("mal").replaceAll("code_challenge=[^&]+", "code_challenge=" + "x".repeat(50));
    HttpResponse<io.vertx.core.buffer.Buffer> page = signIn(url);
    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(page.bodyAsString()).contains("MyAnimeList refused the sign-in");
    assertThat(malOAuth.exchangeCount()).isZero();
  }

  @Test
  void anErrorOnTheCallbackIsShownNotSwallowed() {
    deploy();
    aniOAuth.denyWith("access_denied");
    HttpResponse<io.vertx.core.buffer.Buffer> page = signIn(authorizeUrl("anilist"));
    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(page.bodyAsString()).contains("access_denied");
  }

  @Test
  void anExpiringMalTokenIsRefreshedOnceForTenConcurrentCallers() {
    deploy();
    malOAuth.accessLifetime(Duration.ofSeconds(2));
    signIn(authorizeUrl("mal"));
    String first = new JsonObject(readTokens()).getJsonObject("tokens").getJsonObject("mal").getString("refresh_token");
    malOAuth.accessLifetime(Duration.ofDays(31));
    List<Future<JsonObject>> calls = new ArrayList<>();
    for (int i = 0; i < 10; i++) calls.add(token("mal"));
    Future.all(calls).await();
    assertThat(malOAuth.refreshCount()).isEqualTo(1);
    assertThat(calls.stream().map(f -> f.result().getString("accessToken")).distinct()).hasSize(1);
    assertThat(malOAuth.isValid(calls.get(0).result().getString("accessToken"))).isTrue();
    String second = new JsonObject(readTokens()).getJsonObject("tokens").getJsonObject("mal").getString("refresh_token");
    assertThat(second).isNotEqualTo(first);
  }

  @Test
  void aRevokedRefreshTokenMeansNeedsSignInAndTheServiceStaysUp() throws Exception {
    deploy();
    signIn(authorizeUrl("mal"));
    String token = token("mal").await().getString("accessToken");
    malOAuth.revokeRefreshTokens().revokeAccessTokens();
    states.clear();
    Throwable failure = vertx.eventBus().request(Addresses.AUTH_TOKEN_REFRESH, new JsonObject().put("service", "mal").put("rejectedToken", token))
        .map(m -> (Throwable) null).otherwise(e -> e).await();
    assertThat(ServiceException.from(failure).kind()).isEqualTo(FailureKind.AUTH_EXPIRED);
    JsonObject state = states.poll(2, TimeUnit.SECONDS);
    assertThat(state.getString("service")).isEqualTo("mal");
    assertThat(state.getString("state")).isEqualTo("needsSignIn");
    assertThat(vertx.eventBus().<JsonObject>request(Addresses.AUTH_PING, new JsonObject()).await().body().getString("verticle")).isEqualTo("auth");
  }

  @Test
  void aCorruptTokenFileIsKeptAsideAndReadAsSignedOut() throws Exception {
    Files.writeString(dir.resolve("tokens.json"), "{ not json");
    deploy();
    assertThat(Files.list(dir).map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("tokens.json.corrupt-"));
    Throwable failure = token("anilist").map(x -> (Throwable) null).otherwise(e -> e).await();
    assertThat(ServiceException.from(failure).kind()).isEqualTo(FailureKind.AUTH_EXPIRED);
  }

  @Test
  void theReplacedToolsTokenFileIsImported() throws Exception {
    Files.writeString(dir.resolve("tokens.json"), """
        {"tokens": {"anilist": {"access_token": "legacy-anilist", "token_type": "Bearer", "expiry": "2099-05-01T12:00:00.123456789Z"},
                    "mal": {"access_token": "legacy-mal", "token_type": "Bearer", "refresh_token": "r", "expiry": "2099-01-01T00:00:00+02:00"}}}
        """);
    deploy();
    assertThat(token("anilist").await().getString("accessToken")).isEqualTo("legacy-anilist");
    assertThat(token("mal").await().getString("expiresAt")).isEqualTo("2098-12-31T22:00:00Z");
  }

  private String readTokens() {
    try {
      return Files.readString(dir.resolve("tokens.json"));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private String logText() {
    StringBuilder s = new StringBuilder();
    logs.list.forEach(e -> s.append(e.getFormattedMessage()).append('\n'));
    return s.toString();
  }

}
