package io.github.anilistmalsync.web;

import static io.github.anilistmalsync.web.DashboardClient.csrf;
import static io.github.anilistmalsync.web.DashboardClient.sessionCookie;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.config.AppConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import java.util.Set;
import java.util.ArrayList;
import io.vertx.ext.web.Route;
import io.github.anilistmalsync.web.DashboardClient.Browser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

@ExtendWith(VertxExtension.class)
class WebVerticleTest {
  static final String PASSWORD = "correct horse battery staple";
  static final String API_TOKEN = "script-token-0123456789";
  static final WebTuning FAST = WebTuning.defaults().withFailureDelayMs(1).withBusTimeoutMs(300).withHeartbeatMs(100);

  @TempDir Path dataDir;
  WebTuning tuning = FAST;
  Vertx vertx;
  WebVerticle web;
  WebClient client;
  ListAppender<ILoggingEvent> logs;

  @BeforeEach
  void captureLogs() {
    logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
  }

  void deploy(Vertx vertx, JsonObject web) {
    this.vertx = vertx;
    JsonObject conf = new JsonObject()
        .put(AppConfig.DATA_DIR, dataDir.toString())
        .put("web", web.put("host", "127.0.0.1").put("port", 0));
    this.web = new WebVerticle(tuning);
    vertx.deployVerticle(this.web, new DeploymentOptions().setConfig(conf)).await();
    // a new connection a request: a pooled one may be closed by a short idle timeout just as it is reused
    client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(false)
        .setDefaultHost("127.0.0.1").setDefaultPort(this.web.actualPort()).setFollowRedirects(false));
  }

  void deploy(Vertx vertx) {
    deploy(vertx, new JsonObject().put("password", PASSWORD).put("api_token", API_TOKEN));
  }

  Browser anonymous() {
    return DashboardClient.anonymous(client);
  }

  HttpResponse<Buffer> tryLogin(Browser b, String password) {
    return DashboardClient.tryLogin(client, b, password);
  }

  Browser login() {
    return DashboardClient.login(client, PASSWORD);
  }

  // ---- login required ------------------------------------------------------------------------------------

  @Test
  void pagesRedirectToLoginAndApiAndEventsAnswer401WithoutASession(Vertx vertx) {
    deploy(vertx);
    HttpResponse<Buffer> page = client.get("/").send().await();
    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(page.getHeader("Location")).isEqualTo("/login");
    assertThat(client.get("/app.js").send().await().statusCode()).isEqualTo(302);
    assertThat(client.post("/api/sync").send().await().statusCode()).isEqualTo(401);
    assertThat(client.get("/api/anything").send().await().statusCode()).isEqualTo(401);
    assertThat(client.get("/events").send().await().statusCode()).isEqualTo(401);
    assertThat(client.get("/metrics").send().await().statusCode()).isEqualTo(401);
    assertThat(client.get("/style.css").send().await().statusCode()).isEqualTo(200);
    // the login page shows the favicon too
    HttpResponse<Buffer> icon = client.get("/favicon.svg").send().await();
    assertThat(icon.statusCode()).isEqualTo(200);
    assertThat(icon.getHeader("Content-Type")).startsWith("image/svg+xml");
  }

  @Test
  void secureCookiesMakesTheSessionAndCsrfCookiesSecure(Vertx vertx) {
    deploy(vertx, new JsonObject().put("password", PASSWORD).put("secure_cookies", true));
    HttpResponse<Buffer> page = client.get("/login").send().await();
    String csrfCookie = page.cookies().stream().filter(c -> c.startsWith(AccessGate.LOGIN_CSRF_COOKIE)).findFirst().orElseThrow();
    assertThat(csrfCookie).containsIgnoringCase("Secure");
    HttpResponse<Buffer> r = tryLogin(new Browser(sessionCookie(page), csrf(page.bodyAsString())), PASSWORD);
    String session = r.cookies().stream().filter(c -> c.startsWith(AccessGate.SESSION_COOKIE)).findFirst().orElseThrow();
    assertThat(session).containsIgnoringCase("Secure");
  }

  @Test
  void cookiesAreNotSecureByDefaultSoPlainHttpOnALanWorks(Vertx vertx) {
    deploy(vertx);
    HttpResponse<Buffer> page = client.get("/login").send().await();
    assertThat(page.cookies()).noneMatch(c -> c.toLowerCase(java.util.Locale.ROOT).contains("secure"));
    HttpResponse<Buffer> r = tryLogin(new Browser(sessionCookie(page), csrf(page.bodyAsString())), PASSWORD);
    assertThat(r.cookies()).noneMatch(c -> c.toLowerCase(java.util.Locale.ROOT).contains("secure"));
  }

  @Test
  void rightPasswordGivesAnHttpOnlyLaxSessionCookie(Vertx vertx) {
    deploy(vertx);
    HttpResponse<Buffer> r = tryLogin(anonymous(), PASSWORD);
    assertThat(r.statusCode()).isEqualTo(302);
    String setCookie = r.cookies().stream().filter(c -> c.startsWith(AccessGate.SESSION_COOKIE)).findFirst().orElseThrow();
    assertThat(setCookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax");
    assertThat(client.get("/").putHeader("Cookie", sessionCookie(r)).send().await().statusCode()).isEqualTo(200);
  }

  @Test
  void loginRegeneratesTheSessionSoAPlantedIdIsUseless(Vertx vertx) {
    deploy(vertx);
    Browser before = anonymous();
    HttpResponse<Buffer> r = tryLogin(before, PASSWORD);
    assertThat(sessionCookie(r)).isNotEqualTo(before.cookie());
    assertThat(client.get("/").putHeader("Cookie", before.cookie()).send().await().statusCode()).isEqualTo(302);
  }

  @Test
  void wrongPasswordIsRefusedAndFiveFailuresLockTheClientOut(Vertx vertx) {
    deploy(vertx);
    Browser b = anonymous();
    for (int i = 0; i < 5; i++) {
      HttpResponse<Buffer> r = tryLogin(b, "guess " + i);
      assertThat(r.statusCode()).as("attempt %d", i + 1).isEqualTo(401);
      assertThat(r.bodyAsString()).contains("Wrong password");
    }
    HttpResponse<Buffer> locked = tryLogin(b, PASSWORD);
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(locked.getHeader("Retry-After")).isNotNull();
    assertThat(client.get("/").putHeader("Cookie", b.cookie()).send().await().statusCode()).isEqualTo(302);
  }

  @Test
  void fortyGuessesSentAtOnceAreNotAllCheckedAndTheFortiethRightOneIsThrottled(Vertx vertx) {
    deploy(vertx);
    Browser b = anonymous();
    // a pooled client, as a browser or a script would use: the forty go out over a few kept-alive connections in order
    WebClient pooled = WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(web.actualPort()).setFollowRedirects(false));
    List<io.vertx.core.Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      MultiMap form = MultiMap.caseInsensitiveMultiMap().add("_csrf", b.csrf())
          .add("password", i == 39 ? PASSWORD : "guess " + i);
      sent.add(pooled.post("/login").putHeader("Cookie", b.cookie()).sendForm(form));
    }
    io.vertx.core.Future.all(sent).await();
    List<Integer> statuses = sent.stream().map(f -> f.result().statusCode()).toList();
    assertThat(statuses.stream().filter(st -> st == 401).count()).as("wrong guesses checked").isLessThanOrEqualTo(5);
    assertThat(statuses.get(39)).as("the right password, sent 40th").isEqualTo(429);
    assertThat(sent.get(39).result().cookies()).noneMatch(c -> c.startsWith(AccessGate.SESSION_COOKIE + "="));
  }

  /** Every file under the working directory's uploads folder and the data dir. */
  List<Path> filesLeft() throws Exception {
    List<Path> files = new ArrayList<>();
    for (Path root : List.of(Path.of("file-uploads"), dataDir)) {
      if (Files.isDirectory(root)) {
        try (var all = Files.walk(root)) {
          all.filter(Files::isRegularFile).forEach(files::add);
        }
      }
    }
    return files;
  }

  @Test
  void multipartUploadsLeaveNoFileWithOrWithoutALogin(Vertx vertx, @TempDir Path upload) throws Exception {
    deploy(vertx);
    Path big = Files.writeString(upload.resolve("payload.bin"), "x".repeat(20_000));
    List<Path> before = filesLeft();
    var form = io.vertx.ext.web.multipart.MultipartForm.create()
        .attribute("_csrf", "none").binaryFileUpload("file", "payload.bin", big.toString(), "application/octet-stream");
    assertThat(client.post("/api/sync").sendMultipartForm(form).await().statusCode()).isEqualTo(401);
    assertThat(client.post("/config").sendMultipartForm(form).await().statusCode()).isEqualTo(302);
    Browser b = login();
    var signed = io.vertx.ext.web.multipart.MultipartForm.create()
        .attribute("_csrf", b.csrf()).binaryFileUpload("file", "payload.bin", big.toString(), "application/octet-stream");
    client.post("/api/sync").putHeader("Cookie", b.cookie()).sendMultipartForm(signed).await();
    assertThat(filesLeft()).containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void visitsOfTheLoginPageStoreNoSessionYetItsFormStaysCsrfProtected(Vertx vertx) {
    deploy(vertx);
    for (int i = 0; i < 50; i++) {
      HttpResponse<Buffer> page = client.get("/login").send().await();
      assertThat(page.cookies()).noneMatch(c -> c.startsWith(AccessGate.SESSION_COOKIE + "="));
    }
    assertThat(web.storedSessions().await()).isZero();
    Browser b = anonymous();
    MultiMap noToken = MultiMap.caseInsensitiveMultiMap().add("password", PASSWORD);
    assertThat(client.post("/login").putHeader("Cookie", b.cookie()).sendForm(noToken).await().statusCode())
        .isEqualTo(403);
    MultiMap forged = MultiMap.caseInsensitiveMultiMap().add("_csrf", "nonce.forged").add("password", PASSWORD);
    assertThat(client.post("/login").putHeader("Cookie", AccessGate.LOGIN_CSRF_COOKIE + "=nonce.forged")
        .sendForm(forged).await().statusCode()).as("a token we did not sign").isEqualTo(403);
    MultiMap noCookie = MultiMap.caseInsensitiveMultiMap().add("_csrf", b.csrf()).add("password", PASSWORD);
    assertThat(client.post("/login").sendForm(noCookie).await().statusCode()).isEqualTo(403);
    // the browser loads /login again (another tab, a redirected favicon): the form it already shows still works
    HttpResponse<Buffer> again = client.get("/login").putHeader("Cookie", b.cookie()).send().await();
    assertThat(csrf(again.bodyAsString())).isEqualTo(b.csrf());
    assertThat(web.storedSessions().await()).isZero();
    login();
    assertThat(web.storedSessions().await()).isEqualTo(1);
  }

  @Test
  void logoutEndsTheSession(Vertx vertx) {
    deploy(vertx);
    Browser b = login();
    HttpResponse<Buffer> out = client.post("/logout").putHeader("Cookie", b.cookie())
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("_csrf", b.csrf())).await();
    assertThat(out.statusCode()).isEqualTo(302);
    assertThat(out.getHeader("Location")).isEqualTo("/login");
    assertThat(client.get("/").putHeader("Cookie", b.cookie()).send().await().statusCode()).isEqualTo(302);
  }

  @Test
  void withoutAConfiguredPasswordOneIsGeneratedIntoAnOwnerOnlyFileAndNeverLogged(Vertx vertx) throws Exception {
    deploy(vertx, new JsonObject());
    Path file = dataDir.resolve(LoginPages.INITIAL_PASSWORD_FILE);
    assertThat(file).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    String generated = Files.readString(file).trim();
    assertThat(generated).hasSizeGreaterThanOrEqualTo(20);
    assertThat(Files.readString(dataDir.resolve(LoginPages.PASSWORD_HASH_FILE))).doesNotContain(generated);

    List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(lines).anyMatch(l -> l.contains(file.toAbsolutePath().toString()));
    assertThat(lines).noneMatch(l -> l.contains(generated));

    HttpResponse<Buffer> r = tryLogin(anonymous(), generated);
    assertThat(r.statusCode()).isEqualTo(302);
  }

  // ---- API token, CSRF, headers --------------------------------------------------------------------------

  @Test
  void apiTokenWorksOnApiRoutesOnly(Vertx vertx) {
    deploy(vertx);
    answerTriggers(vertx);
    HttpResponse<Buffer> api = client.post("/api/sync").putHeader("Authorization", "Bearer " + API_TOKEN)
        .sendJsonObject(new JsonObject().put("dryRun", true)).await();
    assertThat(api.statusCode()).isEqualTo(202);
    assertThat(api.bodyAsJsonObject().getString("runId")).isEqualTo("run-1");

    assertThat(client.post("/api/sync").putHeader("Authorization", "Bearer wrong")
        .sendJsonObject(new JsonObject()).await().statusCode()).isEqualTo(401);
    assertThat(client.get("/").putHeader("Authorization", "Bearer " + API_TOKEN).send().await().statusCode())
        .isEqualTo(302);
    assertThat(client.get("/events").putHeader("Authorization", "Bearer " + API_TOKEN).send().await().statusCode())
        .isEqualTo(401);
  }

  @Test
  void postWithoutCsrfTokenIsRefusedAndWithItAccepted(Vertx vertx) {
    deploy(vertx);
    List<JsonObject> triggers = answerTriggers(vertx);
    Browser b = login();
    HttpResponse<Buffer> without = client.post("/api/sync").putHeader("Cookie", b.cookie())
        .sendJsonObject(new JsonObject()).await();
    assertThat(without.statusCode()).isEqualTo(403);
    HttpResponse<Buffer> forged = client.post("/api/sync").putHeader("Cookie", b.cookie())
        .putHeader(AccessGate.CSRF_HEADER, "forged").sendJsonObject(new JsonObject()).await();
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(triggers).isEmpty();

    HttpResponse<Buffer> with = client.post("/api/sync").putHeader("Cookie", b.cookie())
        .putHeader(AccessGate.CSRF_HEADER, b.csrf()).sendJsonObject(new JsonObject().put("dryRun", true)).await();
    assertThat(with.statusCode()).isEqualTo(202);
    assertThat(triggers).hasSize(1);
    assertThat(triggers.get(0).getBoolean("dryRun")).isTrue();

    HttpResponse<Buffer> loginWithout = client.post("/login").putHeader("Cookie", anonymous().cookie())
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("password", PASSWORD)).await();
    assertThat(loginWithout.statusCode()).isEqualTo(403);
  }

  @Test
  void syncTriggerAnswers503WhenNoCoordinatorListens(Vertx vertx) {
    deploy(vertx);
    Browser b = login();
    HttpResponse<Buffer> r = client.post("/api/sync").putHeader("Cookie", b.cookie())
        .putHeader(AccessGate.CSRF_HEADER, b.csrf()).sendJsonObject(new JsonObject()).await();
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.bodyAsJsonObject().getString("error")).contains("sync coordinator not running");
  }

  @Test
  void everyResponseCarriesTheSecurityHeaders(Vertx vertx) {
    deploy(vertx);
    for (HttpResponse<Buffer> r : List.of(client.get("/login").send().await(), client.get("/").send().await(),
        client.get("/health/live").send().await())) {
      assertThat(r.getHeader("Content-Security-Policy")).contains("script-src 'self'").doesNotContain("unsafe-inline");
      assertThat(r.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(r.getHeader("X-Frame-Options")).isEqualTo("DENY");
      assertThat(r.getHeader("Referrer-Policy")).isNotBlank();
    }
  }

  @Test
  void dashboardSaysWhenTheCoordinatorIsNotRunning(Vertx vertx) {
    deploy(vertx);
    Browser b = login();
    String html = client.get("/").putHeader("Cookie", b.cookie()).send().await().bodyAsString();
    assertThat(html).contains("sync coordinator is not running").contains("Sync now").contains("Preview (dry run)")
        .contains("Dashboard").contains("History").contains("Mappings").contains("Accounts").contains("Config")
        .contains("Log out").doesNotContain("Demo mode");
    assertThat(html).doesNotContain(PASSWORD).doesNotContain(API_TOKEN);
  }

  @Test
  void dashboardShowsTheCoordinatorsStatus(Vertx vertx) {
    deploy(vertx);
    vertx.eventBus().<JsonObject>consumer(Addresses.SYNC_STATUS, m -> m.reply(new JsonObject().putNull("running")
        .put("types", new JsonArray().add(new JsonObject().put("type", "ANIME")
            .put("lastRun", new JsonObject().put("finishedAt", "2026-11-24T09:00:00Z").put("result", "ok").put("runId", "r7")
                .put("types", new JsonObject().put("ANIME", new JsonObject().put("created", 2).put("updated", 5).put("unchanged", 40))))
            .put("nextRunAt", "2026-11-24T10:00:00Z")))
        .put("totals", new JsonObject().put("runs", 12).put("entriesChanged", 345))));
    Browser b = login();
    String html = client.get("/").putHeader("Cookie", b.cookie()).send().await().bodyAsString();
    // the card: the type's own result linking to its run, the time (rendered relative in the browser) and its counts
    assertThat(html).contains("href=\"/history/r7\" class=\"result\">Synced</a>")
        .contains("<time datetime=\"2026-11-24T09:00:00Z\" title=\"2026-11-24 09:00:00 UTC\">2026-11-24 09:00:00 UTC</time>")
        .contains(">2026-11-24 10:00:00 UTC</time>")
        .contains("2 created, 5 updated, 0 deleted, 40 unchanged").contains("12 runs so far, 345 entries changed")
        .doesNotContain("sync coordinator is not running");
  }

  @Test
  void dashboardSaysWhenLiveSyncLastCheckedAndWhatTheLastPollCarried(Vertx vertx) {
    deploy(vertx);
    String checkedAt = java.time.Instant.now().minusSeconds(12).toString();
    vertx.eventBus().<JsonObject>consumer(Addresses.SYNC_STATUS, m -> m.reply(new JsonObject().putNull("running")
        .put("types", new JsonArray())
        .put("live", new JsonObject().put("on", true).put("everySeconds", 60).put("checkedAt", checkedAt).put("result", "synced")
            .put("runId", "r9").put("carried", new JsonObject().put("ANIME", new JsonObject().put("fromAniList", 1).put("fromMal", 0)
                .put("created", 0).put("updated", 1).put("titles", new JsonArray().add("Frieren (AniList)")))))));
    Browser b = login();
    String html = client.get("/").putHeader("Cookie", b.cookie()).send().await().bodyAsString();
    assertThat(html).containsPattern("Live: checked 1[2-9] s ago")
        .contains("anime: 1 from AniList, 0 from MyAnimeList, 1 written (Frieren (AniList))").contains("href=\"/history/r9\"");
  }

  @Test
  void aTitleWithMarkupInAProgressEventIsEscapedWhenRendered(Vertx vertx) {
    deploy(vertx);
    // the last progress is shown while its run is running
    vertx.eventBus().<JsonObject>consumer(Addresses.SYNC_STATUS, m -> m.reply(new JsonObject().put("running", "r1")
        .put("types", new JsonArray())));
    vertx.eventBus().publish(Addresses.SYNC_PROGRESS, new JsonObject().put("runId", "r1").put("phase", "apply")
        .put("type", "ANIME").put("done", 1).put("total", 2).put("title", "<script>alert(1)</script>"));
    Browser b = login();
    String html = client.get("/").putHeader("Cookie", b.cookie()).send().await().bodyAsString();
    assertThat(html).doesNotContain("<script>alert(1)</script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
  }

  @Test
  void noTemplateHasAnInlineScriptOrTripleStache() throws Exception {
    Path templates = Path.of("src/main/resources/templates");
    List<Path> files;
    try (var walk = Files.walk(templates)) {
      files = walk.filter(p -> p.toString().endsWith(".hbs")).toList();
    }
    assertThat(files).isNotEmpty();
    Pattern inlineScript = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE);
    Pattern inlineHandler = Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
    for (Path f : files) {
      String text = Files.readString(f);
      assertThat(inlineScript.matcher(text).find()).as("inline <script> in %s", f).isFalse();
      assertThat(inlineHandler.matcher(text).find()).as("inline event handler in %s", f).isFalse();
      assertThat(text).as("unescaped output in %s", f).doesNotContain("{{{");
    }
  }

  @Test
  void theDemoBannerShowsInDemoMode(Vertx vertx) {
    this.vertx = vertx;
    JsonObject conf = new JsonObject().put(AppConfig.DATA_DIR, dataDir.toString()).put(AppConfig.DEMO, true)
        .put("web", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("password", PASSWORD));
    web = new WebVerticle(FAST);
    vertx.deployVerticle(web, new DeploymentOptions().setConfig(conf)).await();
    client = WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(web.actualPort()).setFollowRedirects(false));
    String html = client.get("/").putHeader("Cookie", login().cookie()).send().await().bodyAsString();
    assertThat(html).contains("Demo mode");
  }

  @Test
  void metricsTakesItsOwnTokenOrALoggedInSession(Vertx vertx) {
    deploy(vertx, new JsonObject().put("password", PASSWORD).put("api_token", API_TOKEN)
        .put("metrics_token", "metrics-token-42"));
    assertThat(client.get("/metrics").send().await().statusCode()).isEqualTo(401);
    assertThat(client.get("/metrics").putHeader("Authorization", "Bearer " + API_TOKEN).send().await().statusCode())
        .isEqualTo(401);
    assertThat(client.get("/metrics").putHeader("Authorization", "Bearer metrics-token-42").send().await()
        .statusCode()).as("past the guard (the metrics handler comes later)").isNotEqualTo(401);
    Browser b = login();
    assertThat(client.get("/metrics").putHeader("Cookie", b.cookie()).send().await().statusCode())
        .as("a logged-in session, as the README says").isNotEqualTo(401);
  }

  @Test
  void newPasswordHashesUseOwaspsIterationsAndAnOlderHashIsUpgradedAtTheNextLogin(Vertx vertx) throws Exception {
    Path hashFile = dataDir.resolve(LoginPages.PASSWORD_HASH_FILE);
    Files.writeString(hashFile, PasswordHasher.hash(PASSWORD, 120_000) + "\n");
    deploy(vertx);
    assertThat(Files.readString(hashFile)).startsWith("pbkdf2-sha256$120000$");
    login();
    String upgraded = waitFor(() -> {
      String h = Files.readString(hashFile).trim();
      return h.startsWith("pbkdf2-sha256$120000$") ? null : h;
    });
    assertThat(upgraded.split("\\$")[1]).isEqualTo("600000");
    assertThat(PasswordHasher.verify(PASSWORD, upgraded)).isTrue();
    login();
  }

  /** Polls (briefly) until the supplier answers non-null. */
  static <T> T waitFor(java.util.concurrent.Callable<T> probe) throws Exception {
    for (int i = 0; i < 200; i++) {
      T value = probe.call();
      if (value != null) {
        return value;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("condition not reached");
  }

  @Test
  void aReloadedConfigChangesThePasswordAndApiToken(Vertx vertx) {
    deploy(vertx);
    answerTriggers(vertx);
    vertx.eventBus().publish(Addresses.CONFIG_CHANGED, new JsonObject()
        .put("web", new JsonObject().put("password", "a new password").put("api_token", "new-api-token")));
    assertThat(tryLogin(anonymous(), "a new password").statusCode()).isEqualTo(302);
    assertThat(tryLogin(anonymous(), PASSWORD).statusCode()).isEqualTo(401);
    assertThat(client.post("/api/sync").putHeader("Authorization", "Bearer new-api-token")
        .sendJsonObject(new JsonObject()).await().statusCode()).isEqualTo(202);
    assertThat(client.post("/api/sync").putHeader("Authorization", "Bearer " + API_TOKEN)
        .sendJsonObject(new JsonObject()).await().statusCode()).isEqualTo(401);
  }

  @Test
  void aPasswordChangedByAConfigReloadEndsEverySessionOpenedBefore(Vertx vertx) {
    deploy(vertx);
    Browser first = login();
    Browser second = login();
    assertThat(client.get("/").putHeader("Cookie", first.cookie()).send().await().statusCode()).isEqualTo(200);
    vertx.eventBus().publish(Addresses.CONFIG_CHANGED, new JsonObject()
        .put("web", new JsonObject().put("password", "a new password").put("api_token", API_TOKEN)));
    assertThat(tryLogin(anonymous(), "a new password").statusCode()).isEqualTo(302);
    for (Browser b : List.of(first, second)) {
      assertThat(client.get("/").putHeader("Cookie", b.cookie()).send().await().statusCode()).isEqualTo(302);
      assertThat(client.get("/api/status").putHeader("Cookie", b.cookie()).send().await().statusCode()).isEqualTo(401);
    }
  }

  @Test
  void aReloadWithTheSamePasswordKeepsSessions(Vertx vertx) {
    deploy(vertx);
    Browser b = login();
    vertx.eventBus().publish(Addresses.CONFIG_CHANGED, new JsonObject()
        .put("web", new JsonObject().put("password", PASSWORD).put("api_token", "another-token")));
    assertThat(tryLogin(anonymous(), PASSWORD).statusCode()).isEqualTo(302);
    assertThat(client.get("/").putHeader("Cookie", b.cookie()).send().await().statusCode()).isEqualTo(200);
  }

  int statusWithHost(String host, String path) {
    return client.get(path).putHeader("Host", host).send().await().statusCode();
  }

  @Test
  void aHostNameNotAllowedIsRefusedSoDnsRebindingCannotReachTheDashboard(Vertx vertx) {
    deploy(vertx, new JsonObject().put("password", PASSWORD).put("allowed_hosts", "sync.example.org, nas.local"));
    int port = web.actualPort();
    for (String host : List.of("attacker.example:" + port, "attacker.example", "sync.example.org.attacker.example",
        "127.0.0.1.nip.io:" + port)) {
      assertThat(statusWithHost(host, "/login")).as(host).isEqualTo(421);
      assertThat(statusWithHost(host, "/health/live")).as(host).isEqualTo(421);
    }
    HttpResponse<Buffer> refused = client.get("/api/status").putHeader("Host", "attacker.example").send().await();
    assertThat(refused.bodyAsString()).contains("web.allowed_hosts");
    for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST", "[::1]:" + port,
        "192.168.1.20", "sync.example.org:" + port, "NAS.local")) {
      assertThat(statusWithHost(host, "/login")).as(host).isEqualTo(200);
    }
    // the Dockerfile's health check speaks HTTP/1.0 without a Host header
    io.vertx.core.Promise<String> answer = io.vertx.core.Promise.promise();
    vertx.createNetClient().connect(port, "127.0.0.1").onSuccess(socket -> {
      StringBuilder text = new StringBuilder();
      socket.handler(b -> text.append(b.toString()));
      socket.closeHandler(v -> answer.tryComplete(text.toString()));
      socket.write("GET /health/live HTTP/1.0\r\n\r\n");
    });
    assertThat(answer.future().await()).startsWith("HTTP/1.0 200");
  }

  @Test
  void probesDoNotOpenSessions(Vertx vertx) {
    deploy(vertx);
    assertThat(client.get("/health/live").send().await().cookies()).isEmpty();
    assertThat(client.get("/health").send().await().cookies()).isEmpty();
  }

  // ---- health --------------------------------------------------------------------------------------------

  @Test
  void liveHealthNeedsNoLogin(Vertx vertx) {
    deploy(vertx);
    HttpResponse<Buffer> r = client.get("/health/live").send().await();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "UP"));
  }

  @Test
  void healthIs503WhenTheOtherVerticlesAreMissing(Vertx vertx) {
    deploy(vertx);
    HttpResponse<Buffer> r = client.get("/health").send().await();
    assertThat(r.statusCode()).isEqualTo(503);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getJsonObject("verticles").getBoolean("web")).isTrue();
    assertThat(body.getJsonObject("verticles").getBoolean("sync")).isFalse();
    assertThat(body.getJsonObject("services").getString("mal")).isEqualTo("unknown");
    assertThat(r.bodyAsString()).doesNotContain(PASSWORD).doesNotContain(API_TOKEN);
  }

  @Test
  void healthIs200WhenEverythingAnswersAndSignedInAndSaysWhenConfigIsInvalid(Vertx vertx) {
    deploy(vertx);
    var bus = vertx.eventBus();
    for (String a : List.of(Addresses.ANILIST_PING, Addresses.MAL_PING, Addresses.SYNC_PING, Addresses.AUTH_PING)) {
      bus.<JsonObject>consumer(a, m -> m.reply(new JsonObject().put("verticle", a)));
    }
    bus.<JsonObject>consumer(Addresses.AUTH_STATUS, m -> m.reply(new JsonObject().put("services", new JsonArray()
        .add(new JsonObject().put("service", "anilist").put("state", "signedIn").put("accessToken", "tok-secret"))
        .add(new JsonObject().put("service", "mal").put("state", "expiring").put("daysLeft", 3)))));
    bus.<JsonObject>consumer(Addresses.SYNC_STATUS, m -> m.reply(new JsonObject().put("types", new JsonArray()
        .add(new JsonObject().put("type", "ANIME")
            .put("lastRun", new JsonObject().put("finishedAt", "2026-11-24T09:00:00Z").put("result", "ok"))))));
    HttpResponse<Buffer> r = client.get("/health").send().await();
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("UP");
    assertThat(body.getJsonObject("lastSuccessfulSync").getString("ANIME")).isEqualTo("2026-11-24T09:00:00Z");
    assertThat(r.bodyAsString()).doesNotContain("tok-secret").doesNotContain(PASSWORD).doesNotContain(API_TOKEN);

    bus.publish(Addresses.CONFIG_PROBLEMS, new JsonObject().put("problems", new JsonArray()
        .add(new JsonObject().put("key", "sync.mode").put("message", "unknown mode"))));
    HttpResponse<Buffer> invalid = client.get("/health").send().await();
    assertThat(invalid.statusCode()).isEqualTo(503);
    assertThat(invalid.bodyAsJsonObject().getBoolean("configValid")).isFalse();

    bus.publish(Addresses.CONFIG_CHANGED, new JsonObject());
    assertThat(client.get("/health").send().await().statusCode()).isEqualTo(200);
  }

  // ---- event stream --------------------------------------------------------------------------------------

  /** An open /events connection collecting what arrives. */
  final class Stream {
    final StringBuilder text = new StringBuilder();
    HttpClientResponse response;
    private java.util.function.Predicate<String> wanted;
    private io.vertx.core.Promise<String> waiting;

    private synchronized void received(Buffer chunk) {
      text.append(chunk.toString());
      check();
    }

    private void check() {
      if (waiting != null && wanted.test(text.toString())) {
        io.vertx.core.Promise<String> p = waiting;
        waiting = null;
        p.complete(text.toString());
      }
    }

    /** Waits until the text received so far satisfies the condition. */
    String until(java.util.function.Predicate<String> condition) {
      io.vertx.core.Promise<String> p = io.vertx.core.Promise.promise();
      synchronized (this) {
        wanted = condition;
        waiting = p;
        check();
      }
      return p.future().timeout(5, java.util.concurrent.TimeUnit.SECONDS).await();
    }

    List<JsonObject> events() {
      List<JsonObject> out = new java.util.ArrayList<>();
      for (String block : text.toString().split("\n\n")) {
        JsonObject e = new JsonObject();
        for (String line : block.split("\n")) {
          if (line.startsWith("id: ")) {
            e.put("id", Long.parseLong(line.substring(4)));
          } else if (line.startsWith("event: ")) {
            e.put("event", line.substring(7));
          } else if (line.startsWith("data: ")) {
            e.put("data", new JsonObject(line.substring(6)));
          }
        }
        if (e.containsKey("id")) {
          out.add(e);
        }
      }
      return out;
    }

    void close() {
      response.request().connection().close().await();
    }
  }

  Stream open(Browser b, Long lastEventId) {
    HttpClient http = vertx.createHttpClient();
    Stream stream = new Stream();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(web.actualPort()).setURI("/events").addHeader("Cookie", b.cookie());
    if (lastEventId != null) {
      options.addHeader("Last-Event-ID", String.valueOf(lastEventId));
    }
    stream.response = http.request(options)
        .compose(req -> req.send().map(resp -> {
          resp.handler(stream::received);
          return resp;
        })).await();
    assertThat(stream.response.statusCode()).isEqualTo(200);
    assertThat(stream.response.getHeader("Content-Type")).startsWith("text/event-stream");
    assertThat(stream.response.getHeader("Cache-Control")).isEqualTo("no-cache");
    return stream;
  }

  static long count(String text, String needle) {
    return text.split(java.util.regex.Pattern.quote(needle), -1).length - 1;
  }

  /** Polls (on timers, not sleeps) until no stream is open; fails after a bounded number of looks. */
  void awaitNoOpenStreams() {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    long[] looks = {0};
    vertx.setPeriodic(20, t -> {
      if (web.openStreams() == 0) {
        vertx.cancelTimer(t);
        done.tryComplete();
      } else if (++looks[0] > 250) {
        vertx.cancelTimer(t);
        done.tryFail("streams still open: " + web.openStreams());
      }
    });
    done.future().await();
  }

  static JsonObject progress(int done) {
    return new JsonObject().put("runId", "r1").put("phase", "apply").put("type", "ANIME").put("done", done)
        .put("total", 10);
  }

  @Test
  void busEventsArriveInOrderWithIncreasingIds(Vertx vertx) {
    deploy(vertx);
    Stream s = open(login(), null);
    var bus = vertx.eventBus();
    bus.publish(Addresses.SYNC_PROGRESS, progress(1));
    bus.publish(Addresses.SYNC_PROGRESS, progress(2));
    bus.publish(Addresses.SYNC_FINISHED, new JsonObject().put("runId", "r1").put("result", "ok"));
    bus.publish(Addresses.AUTH_STATE, new JsonObject().put("service", "mal").put("state", "needsSignIn"));
    bus.publish(Addresses.CONFIG_PROBLEMS, new JsonObject().put("problems", new JsonArray()));
    s.until(t -> count(t, "id: ") == 5);
    List<JsonObject> events = s.events();
    assertThat(events).extracting(e -> e.getString("event"))
        .containsExactly("progress", "progress", "finished", "auth", "config-problems");
    assertThat(events).extracting(e -> e.getLong("id")).isSorted().doesNotHaveDuplicates();
    assertThat(events.get(1).getJsonObject("data").getInteger("done")).isEqualTo(2);
    s.close();
  }

  @Test
  void reconnectingWithLastEventIdGetsTheMissedEvents(Vertx vertx) {
    deploy(vertx);
    Browser b = login();
    Stream first = open(b, null);
    vertx.eventBus().publish(Addresses.SYNC_PROGRESS, progress(1));
    vertx.eventBus().publish(Addresses.SYNC_PROGRESS, progress(2));
    first.until(t -> count(t, "id: ") == 2);
    long lastSeen = first.events().get(1).getLong("id");
    first.close();
    awaitNoOpenStreams();

    vertx.eventBus().publish(Addresses.SYNC_PROGRESS, progress(3));
    vertx.eventBus().publish(Addresses.SYNC_PROGRESS, progress(4));
    Stream again = open(b, lastSeen);
    vertx.eventBus().publish(Addresses.SYNC_PROGRESS, progress(5));
    again.until(t -> count(t, "id: ") == 3);
    assertThat(again.events()).extracting(e -> e.getJsonObject("data").getInteger("done")).containsExactly(3, 4, 5);
    assertThat(again.events()).extracting(e -> e.getLong("id")).isSorted().allMatch(id -> id > lastSeen);
    again.close();
  }

  @Test
  void closingTheConnectionReleasesTheStream(Vertx vertx) {
    deploy(vertx);
    Browser b = login();
    Stream one = open(b, null);
    Stream two = open(b, null);
    assertThat(web.openStreams()).isEqualTo(2);
    one.close();
    two.close();
    awaitNoOpenStreams();
    assertThat(web.openStreams()).isZero();
  }

  @Test
  void anIdleConnectionIsClosedWhileAnEventStreamOutlivesTheIdleTimeoutOnItsHeartbeat(Vertx vertx) {
    tuning = FAST.withIdleTimeoutMs(600);
    deploy(vertx);
    Stream s = open(login(), null);
    io.vertx.core.Promise<Void> closed = io.vertx.core.Promise.promise();
    vertx.createNetClient().connect(web.actualPort(), "127.0.0.1")
        .onSuccess(socket -> socket.closeHandler(v -> closed.tryComplete())).await();
    closed.future().timeout(10, java.util.concurrent.TimeUnit.SECONDS).await();
    // the silent connection is gone after one idle timeout; the stream has lived through it and more
    String pings = s.until(t -> count(t, ": ping\n\n") >= 15);
    assertThat(count(pings, ": ping\n\n")).isGreaterThanOrEqualTo(15);
    assertThat(web.openStreams()).isEqualTo(1);
    s.close();
  }

  @Test
  void aHeartbeatCommentArrives(Vertx vertx) {
    deploy(vertx);
    Stream s = open(login(), null);
    assertThat(s.until(t -> t.contains(": ping\n\n"))).contains(": ping");
    s.close();
  }

  @Test
  void configChangesAreRelayedWithoutTheConfig(Vertx vertx) {
    deploy(vertx);
    Stream s = open(login(), null);
    vertx.eventBus().publish(Addresses.CONFIG_CHANGED, new JsonObject()
        .put("web", new JsonObject().put("password", "new-secret-pw").put("api_token", "new-api-token"))
        .put("sync", new JsonObject().put("mode", "two-way")));
    s.until(t -> t.contains("config-changed"));
    assertThat(s.text.toString()).doesNotContain("new-secret-pw").doesNotContain("new-api-token")
        .doesNotContain("two-way");
    assertThat(s.events().get(0).getJsonObject("data").getString("message")).isEqualTo("config reloaded");
    s.close();
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  /** A stand-in coordinator answering triggers with run-1, run-2, ...; returns what it received. */
  static List<JsonObject> answerTriggers(Vertx vertx) {
    List<JsonObject> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.SYNC_TRIGGER, m -> {
      received.add(m.body());
      m.reply(new JsonObject().put("runId", "run-" + received.size()));
    }).completion().await();
    return received;
  }

  @Test
  void newPagesAndApiSay503WhenNothingAnswersOnTheBus(Vertx vertx) {
    deploy(vertx);
    Browser b = login();
    for (String page : new String[] {"/history", "/history/r1", "/mappings", "/accounts"}) {
      HttpResponse<Buffer> r = client.get(page).putHeader("Cookie", b.cookie()).send().await();
      assertThat(r.statusCode()).as(page).isEqualTo(503);
      assertThat(r.bodyAsString()).as(page).contains("is not running");
    }
    for (String api : new String[] {"/api/runs", "/api/runs/r1", "/api/unmapped", "/api/accounts"}) {
      HttpResponse<Buffer> r = client.get(api).putHeader("Authorization", "Bearer " + API_TOKEN).send().await();
      assertThat(r.statusCode()).as(api).isEqualTo(503);
    }
  }

  /** Enumerated from the router itself, so a route added later cannot be left open by mistake. */
  @Test
  void everyRouteButLoginAndHealthIsRefusedWithoutASession(Vertx vertx) {
    deploy(vertx);
    List<String> checked = new ArrayList<>();
    for (Route route : web.routes()) {
      String path = route.getPath();
      if (path == null || AccessGate.PUBLIC_PATHS.contains(path)) continue;
      String concrete = path.replaceAll(":[A-Za-z]+", "x");
      Set<HttpMethod> methods = route.methods() == null || route.methods().isEmpty() ? Set.of(HttpMethod.GET) : route.methods();
      for (HttpMethod method : methods) {
        HttpResponse<Buffer> r = client.request(method, concrete).send().await();
        boolean refused = r.statusCode() == 401 || r.statusCode() == 403
            || (r.statusCode() == 302 && "/login".equals(r.getHeader("Location")));
        assertThat(refused).as(method + " " + concrete + " answered " + r.statusCode()).isTrue();
        checked.add(method + " " + concrete);
      }
    }
    assertThat(checked).contains("GET /", "GET /events", "POST /api/sync", "GET /metrics", "GET /history", "GET /api/runs");
  }
}
