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
import io.vertx.ext.web.client.WebClientSession;
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
  private WebClientSession browser;
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
    browser = newBrowser();
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
    deploy(AuthVerticle.REFRESH_CHECK_EVERY);
  }

  private void deploy(Duration refreshCheckEvery) {
    deploy(refreshCheckEvery, new JsonObject());
  }

  /** {@code changes} are merged over the test's config (e.g. another redirect URI, the dashboard's flag). */
  private void deploy(Duration refreshCheckEvery, JsonObject changes) {
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
    conf.mergeIn(changes, true);
    vertx.deployVerticle(new AuthVerticle(refreshCheckEvery), new DeploymentOptions().setConfig(conf)).await();
  }

  /** A browser of its own: a cookie jar, no redirects followed. */
  private WebClientSession newBrowser() {
    return WebClientSession.create(WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false)));
  }

  private String startUrl(String service) {
    return vertx.eventBus().<JsonObject>request(Addresses.AUTH_SIGNIN_START, new JsonObject().put("service", service)).await().body().getString("startUrl");
  }

  /** Opens the start link in the test's browser and answers where it sends the browser: the service's authorize page. */
  private String authorizeUrl(String service) {
    HttpResponse<io.vertx.core.buffer.Buffer> start = browser.getAbs(startUrl(service)).send().await();
    assertThat(start.statusCode()).isEqualTo(302);
    return start.getHeader("Location");
  }

  /** Opens the authorize URL and answers where the fake's approval sends the browser: our callback with code and state. */
  private String approve(WebClientSession in, String authorizeUrl) {
    HttpResponse<io.vertx.core.buffer.Buffer> redirect = in.getAbs(authorizeUrl).send().await();
    assertThat(redirect.statusCode()).isEqualTo(302);
    return redirect.getHeader("Location");
  }

  /** Opens the authorize URL and follows the fake's redirect back to our callback, as a browser would. */
  private HttpResponse<io.vertx.core.buffer.Buffer> signIn(String authorizeUrl) {
    return browser.getAbs(approve(browser, authorizeUrl)).send().await();
  }

  private Future<JsonObject> token(String service) {
    return vertx.eventBus().<JsonObject>request(Addresses.AUTH_TOKEN_GET, new JsonObject().put("service", service)).map(m -> m.body());
  }

  @Test
  void withTheDashboardRunningTheCallbackOnTheOAuthPortSendsTheBrowserBackToItWithTheResult() throws Exception {
    deploy(AuthVerticle.REFRESH_CHECK_EVERY, new JsonObject().put(AppConfig.WEB_UI, true).put("web", new JsonObject().put("port", 8080)));
    HttpResponse<io.vertx.core.buffer.Buffer> back = signIn(authorizeUrl("mal"));
    assertThat(back.statusCode()).isEqualTo(303);
    assertThat(back.getHeader("Location")).isEqualTo("http://127.0.0.1:8080/oauth/done");
    String binding = browser.cookieStore().get(false, "127.0.0.1", "/").iterator().next().value();
    JsonObject outcome = vertx.eventBus().<JsonObject>request(Addresses.AUTH_SIGNIN_OUTCOME, new JsonObject().put("binding", binding)).await().body();
    assertThat(outcome.getString("message")).isEqualTo("Signed in to MyAnimeList.");
    assertThat(outcome.getBoolean("signedIn")).isTrue();
    // shown once: a second look finds nothing
    assertThat(vertx.eventBus().<JsonObject>request(Addresses.AUTH_SIGNIN_OUTCOME, new JsonObject().put("binding", binding)).await().body()).isEmpty();
  }

  @Test
  void aRedirectUriOnTheWebPortIsServedThereWhenNoDashboardRunsAsForTheAuthCommand() throws Exception {
    String redirect = "http://127.0.0.1:" + callbackPort + AuthVerticle.WEB_CALLBACK_PATH;
    // an AniList whose client has the web port's callback registered
    FakeAniList webAniList = new FakeAniList(vertx);
    webAniList.start(0).await();
    FakeOAuth webAni = new FakeOAuth(FakeOAuth.Style.ANILIST, "ani-id", "ani-secret", redirect);
    webAniList.withOAuth(webAni);
    deploy(AuthVerticle.REFRESH_CHECK_EVERY, new JsonObject().put("oauth", new JsonObject().put("port", 1).put("redirect_uri", redirect))
        .put("web", new JsonObject().put("port", callbackPort))
        .put("anilist", new JsonObject().put("auth_url", "http://127.0.0.1:" + webAniList.port() + "/api/v2/oauth/authorize")
            .put("token_url", "http://127.0.0.1:" + webAniList.port() + "/api/v2/oauth/token")));
    assertThat(startUrl("anilist")).isEqualTo("http://127.0.0.1:" + callbackPort + "/oauth/start/anilist");
    HttpResponse<io.vertx.core.buffer.Buffer> done = signIn(authorizeUrl("anilist"));
    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(done.bodyAsString()).contains("Signed in to AniList");
    assertThat(webAni.exchangeCount()).isEqualTo(1);
    webAniList.stop().await();
  }

  @Test
  void signingInToBothServicesSavesTokensTheApisAccept() throws Exception {
    deploy();
    HttpResponse<io.vertx.core.buffer.Buffer> done = signIn(authorizeUrl("anilist"));
    assertThat(done.bodyAsString()).contains("Signed in to AniList")
        .contains("<a href=\"http://127.0.0.1:8080/accounts\">Back to the dashboard</a>");
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
    assertThat(page.bodyAsString()).contains("unknown, was already used or has expired");
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

  // ---- nobody who reads the log can finish a sign-in -----------------------------------------------------------

  @Test
  void theNeedsSignInLogNamesOnlyTheStartLinkNeverAStateAChallengeOrACode() {
    deploy();
    token("mal").otherwise(e -> null).await();
    token("anilist").otherwise(e -> null).await();
    signIn(authorizeUrl("anilist"));
    String logged = logText();
    assertThat(logged).contains("MyAnimeList needs sign-in").contains("http://127.0.0.1:" + callbackPort + "/start/mal")
        .contains("http://127.0.0.1:" + callbackPort + "/start/anilist");
    assertThat(logged).doesNotContain("state=").doesNotContain("code_challenge").doesNotContain("code=")
        .doesNotContain("/oauth2/authorize").doesNotContain("/oauth/authorize");
  }

  @Test
  void theStartLinkBindsTheSignInToItsBrowserAndACallbackFromAnotherBrowserIsRefused() throws Exception {
    deploy();
    String callback = approve(browser, authorizeUrl("mal"));
    WebClientSession other = newBrowser();
    HttpResponse<io.vertx.core.buffer.Buffer> replayed = other.getAbs(callback).send().await();
    assertThat(replayed.statusCode()).isEqualTo(403);
    assertThat(replayed.bodyAsString()).contains("started in another browser").contains("/start/mal");
    assertThat(malOAuth.exchangeCount()).isZero();
    assertThat(Files.exists(dir.resolve("tokens.json"))).isFalse();
    // without any cookie at all, the same
    assertThat(WebClient.create(vertx).getAbs(callback).send().await().statusCode()).isEqualTo(403);
    // the browser that started it still finishes it
    HttpResponse<io.vertx.core.buffer.Buffer> own = browser.getAbs(callback).send().await();
    assertThat(own.bodyAsString()).contains("Signed in to MyAnimeList");
    assertThat(malOAuth.exchangeCount()).isEqualTo(1);
  }

  @Test
  void anOldStateStopsWorkingOnceASignInSucceeds() {
    deploy();
    String older = approve(browser, authorizeUrl("mal"));
    assertThat(signIn(authorizeUrl("mal")).bodyAsString()).contains("Signed in to MyAnimeList");
    String signedIn = token("mal").await().getString("accessToken");
    HttpResponse<io.vertx.core.buffer.Buffer> replay = browser.getAbs(older).send().await();
    assertThat(replay.statusCode()).isEqualTo(400);
    assertThat(replay.bodyAsString()).contains("unknown, was already used or has expired");
    assertThat(malOAuth.exchangeCount()).isEqualTo(1);
    assertThat(token("mal").await().getString("accessToken")).isEqualTo(signedIn);
  }

  @Test
  void bothServicesCanBeSignedInFromOneBrowserAtOnce() {
    deploy();
    String ani = approve(browser, authorizeUrl("anilist"));
    String malCallback = approve(browser, authorizeUrl("mal"));
    assertThat(browser.getAbs(ani).send().await().bodyAsString()).contains("Signed in to AniList");
    assertThat(browser.getAbs(malCallback).send().await().bodyAsString()).contains("Signed in to MyAnimeList");
  }

  // ---- a failed refresh is not a dead sign-in ------------------------------------------------------------------

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> transientRefreshFailures() {
    return java.util.stream.Stream.of(
        org.junit.jupiter.params.provider.Arguments.of("503 with no body", io.github.anilistmalsync.sandbox.Fault.status(503, "")),
        org.junit.jupiter.params.provider.Arguments.of("500 with a JSON body",
            io.github.anilistmalsync.sandbox.Fault.status(500, "{\"error\":\"internal_server_error\",\"message\":\"\"}")),
        org.junit.jupiter.params.provider.Arguments.of("403 HTML page",
            io.github.anilistmalsync.sandbox.Fault.html(403, "<html><body><h1>403 Forbidden</h1>Access denied</body></html>")),
        org.junit.jupiter.params.provider.Arguments.of("dropped connection", io.github.anilistmalsync.sandbox.Fault.drop()));
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "a refresh answered with a {0} keeps the refresh token for the next try")
  @org.junit.jupiter.params.provider.MethodSource("transientRefreshFailures")
  void aRefreshThatFailsWithoutSayingTheTokenIsDeadKeepsTheSignIn(String what, io.github.anilistmalsync.sandbox.Fault fault) throws Exception {
    deploy();
    signIn(authorizeUrl("mal"));
    String rejected = token("mal").await().getString("accessToken");
    String refreshToken = new JsonObject(readTokens()).getJsonObject("tokens").getJsonObject("mal").getString("refresh_token");
    malOAuth.revokeAccessTokens();
    mal.inject(fault.when(r -> r.path().endsWith("/oauth2/token")), 1);
    states.clear();
    Throwable failure = vertx.eventBus().request(Addresses.AUTH_TOKEN_REFRESH, new JsonObject().put("service", "mal").put("rejectedToken", rejected))
        .map(m -> (Throwable) null).otherwise(e -> e).await();
    assertThat(ServiceException.from(failure).kind()).isEqualTo(FailureKind.TRANSIENT);
    // a dropped connection can reach our side before the fake has logged the request it dropped
    for (int i = 0; i < 40 && malOAuth.tokenRequests("refresh_token") == 0; i++) vertx.timer(25).await();
    assertThat(malOAuth.tokenRequests("refresh_token")).isEqualTo(1);
    assertThat(new JsonObject(readTokens()).getJsonObject("tokens").getJsonObject("mal").getString("refresh_token")).isEqualTo(refreshToken);
    assertThat(states).noneMatch(s -> "needsSignIn".equals(s.getString("state")));
    // the next attempt refreshes with the kept refresh token, no new sign-in
    String fresh = vertx.eventBus().<JsonObject>request(Addresses.AUTH_TOKEN_REFRESH, new JsonObject().put("service", "mal").put("rejectedToken", rejected))
        .await().body().getString("accessToken");
    assertThat(malOAuth.isValid(fresh)).isTrue();
    assertThat(malOAuth.exchangeCount()).isEqualTo(1);
    assertThat(malOAuth.refreshCount()).isEqualTo(1);
  }

  @Test
  void aRefreshRefusedWithInvalidGrantMeansSignInAgain() throws Exception {
    deploy();
    signIn(authorizeUrl("mal"));
    String rejected = token("mal").await().getString("accessToken");
    mal.inject(io.github.anilistmalsync.sandbox.Fault.status(400, "{\"error\":\"invalid_grant\",\"message\":\"The refresh token is invalid.\"}")
        .when(r -> r.path().endsWith("/oauth2/token")), 1);
    Throwable failure = vertx.eventBus().request(Addresses.AUTH_TOKEN_REFRESH, new JsonObject().put("service", "mal").put("rejectedToken", rejected))
        .map(m -> (Throwable) null).otherwise(e -> e).await();
    assertThat(ServiceException.from(failure).kind()).isEqualTo(FailureKind.AUTH_EXPIRED);
    assertThat(new JsonObject(readTokens()).getJsonObject("tokens").containsKey("mal")).isFalse();
  }

  // ---- refreshing on a timer of its own ------------------------------------------------------------------------

  @Test
  void aMalTokenWithSixDaysLeftIsRefreshedByTheTimerWithoutAnySync() throws Exception {
    deploy(Duration.ofMillis(200));
    malOAuth.accessLifetime(Duration.ofDays(6));
    signIn(authorizeUrl("mal"));
    malOAuth.accessLifetime(Duration.ofDays(31));
    // nothing asks for a token here: only the timer can refresh it
    for (int i = 0; i < 100 && !savedMalExpiresAfter(Duration.ofDays(30)); i++) Thread.sleep(100);
    assertThat(malOAuth.requests()).filteredOn(r -> r.kind().equals("token")).extracting(r -> r.body().contains("grant_type=refresh_token"))
        .containsExactly(false, true);
    JsonObject saved = new JsonObject(readTokens()).getJsonObject("tokens").getJsonObject("mal");
    assertThat(java.time.Instant.parse(saved.getString("expires_at"))).isAfter(java.time.Instant.now().plus(Duration.ofDays(30)));
    assertThat(malOAuth.isValid(saved.getString("access_token"))).isTrue();
    assertThat(mal.requests()).as("no sync ran").isEmpty();
  }

  private boolean savedMalExpiresAfter(Duration fromNow) {
    if (!Files.exists(dir.resolve("tokens.json"))) return false;
    JsonObject mal = new JsonObject(readTokens()).getJsonObject("tokens").getJsonObject("mal");
    return mal != null && java.time.Instant.parse(mal.getString("expires_at")).isAfter(java.time.Instant.now().plus(fromNow));
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
