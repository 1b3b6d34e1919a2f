package io.github.anilistmalsync.web;

import static io.github.anilistmalsync.web.Pages.apiFailure;
import static io.github.anilistmalsync.web.Pages.error;
import static io.github.anilistmalsync.web.Pages.json;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.config.AppConfig;
import io.github.anilistmalsync.files.AtomicFiles;
import io.github.anilistmalsync.model.MediaType;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.sstore.LocalSessionStore;
import io.vertx.ext.web.templ.handlebars.HandlebarsTemplateEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The web UI verticle: the dashboard pages, the JSON API and the event stream, behind a login. */
public class WebVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(WebVerticle.class);

  static final String SESSION_COOKIE = "amsync.session";
  static final String CSRF_HEADER = "X-CSRF-Token";
  static final String CSRF_FIELD = "_csrf";
  private static final String USER_KEY = "user";
  private static final String CSRF_KEY = "csrf";
  private static final String VIA_TOKEN = "viaApiToken";
  static final String NOTICE_KEY = "notice";
  /** Where the static assets are in the jar. */
  static final String STATIC_ROOT = "webroot";
  /** The login form's CSRF token, signed, as a cookie (double submit): no stored session per visit of /login. */
  static final String LOGIN_CSRF_COOKIE = "amsync.login-csrf";
  static final String INITIAL_PASSWORD_FILE = "initial-password";
  static final String PASSWORD_HASH_FILE = "web-password.hash";

  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

  /** Paths anyone may load: the login page and what it needs, and the liveness/readiness probes. */
  static final Set<String> PUBLIC_PATHS = Set.of("/login", "/style.css", "/health", "/health/live");

  /** Liveness pings of the other verticles, by the name /health reports them under. */
  private static final Map<String, String> PINGS = pings();

  private final WebTuning tuning;
  private AppConfig config;
  private HandlebarsTemplateEngine engine;
  private Pages pages;
  private LoginThrottle throttle;
  private EventRelay relay;
  private HttpServer server;
  /** The hash logins are checked against; replaced (as a Future) when a config reload changes the password. */
  private Future<String> passwordHash;
  private PasswordStore passwordStore;
  private JsonArray configProblems;
  private volatile int openStreams;
  /** Signs the login form's CSRF tokens; new at each start, so a restart only asks for a reload of /login. */
  private final byte[] loginCsrfKey = Base64.getUrlDecoder().decode(PasswordHasher.randomSecret(32));
  private LocalSessionStore sessions;
  /** Counts password changes, so a login checked against a replaced password opens no session. */
  private int passwordGeneration;

  public WebVerticle() {
    this(WebTuning.defaults());
  }

  public WebVerticle(WebTuning tuning) {
    this.tuning = tuning;
  }

  /** The port the server listens on (useful when configured as 0); -1 before start. */
  private Router routes;

  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  /** How many event streams are open right now. */
  public int openStreams() {
    return openStreams;
  }

  @Override
  public Future<?> start() {
    config = AppConfig.of(config());
    engine = HandlebarsTemplateEngine.create(vertx);
    pages = new Pages(vertx, engine, tuning, () -> config);
    throttle = new LoginThrottle(tuning.maxFailures(), tuning.lockoutMs(), tuning.failureDelayMs());
    relay = new EventRelay(tuning.replayEvents(), System.currentTimeMillis());
    passwordStore = new FilePasswordStore(config.dataDir().resolve(PASSWORD_HASH_FILE));
    return vertx.eventBus()
        .<JsonObject>consumer(Addresses.WEB_PING, msg -> msg.reply(new JsonObject().put("verticle", "web")))
        .completion()
        .compose(v -> relayBusEvents())
        .compose(v -> vertx.executeBlocking(passwordStore::load))
        .compose(stored -> {
          // checking a stored hash against web.password is 600,000 PBKDF2 rounds: done while the server already
          // answers (a login waits for it, nothing else does); only a first start, with no hash yet, waits for it, so
          // the generated password's file is there once the dashboard answers
          passwordHash = vertx.executeBlocking(() -> preparePassword(passwordStore));
          passwordHash.onFailure(e -> LOG.error("could not prepare the dashboard password: {}", e.toString()));
          return stored.isPresent() ? Future.succeededFuture() : passwordHash;
        })
        .compose(v -> {
          routes = router();
          // idle connections (a stalled or abandoned client) are closed; event streams stay open on their heartbeat
          return vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions()
                  .setIdleTimeout((int) tuning.idleTimeoutMs())
                  .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS))
              .requestHandler(routes)
              .listen(config.integer("web.port"), config.string("web.host"));
        })
        .onSuccess(s -> {
          server = s;
          LOG.info("web UI listening on {}:{}", config.string("web.host"), s.actualPort());
        });
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** Every route of the web UI, so a test can check that each one is refused without a session. */
  java.util.List<io.vertx.ext.web.Route> routes() {
    return routes.getRoutes();
  }

  // ---- routes --------------------------------------------------------------------------------------------

  private Router router() {
    Router router = Router.router(vertx);
    router.route().handler(this::securityHeaders);
    router.route().handler(this::checkHost);
    sessions = LocalSessionStore.create(vertx);
    router.route().handler(SessionHandler.create(sessions)
        .setSessionCookieName(SESSION_COOKIE)
        .setCookieHttpOnlyFlag(true)
        .setCookieSameSite(CookieSameSite.LAX)
        .setCookieSecureFlag(secureCookies())
        .setSessionTimeout(4 * 3600_000L)
        .setLazySession(true));
    router.route().handler(this::requireLogin);
    // after the login check, so a stranger's body is never read; no file uploads, nothing lands on disk
    router.route().handler(BodyHandler.create(false).setHandleFileUploads(false).setBodyLimit(64 * 1024));
    router.route().handler(this::checkCsrf);

    // health
    router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health").handler(this::showHealth);

    // login
    router.get("/login").handler(this::showLogin);
    router.post("/login").handler(this::login);
    router.post("/logout").handler(this::logout);

    // dashboard
    router.get("/").handler(this::showDashboard);
    router.get("/api/status").handler(this::status);
    router.post("/api/sync").handler(this::triggerSync);

    // history, preview, config, mappings, accounts: pages and their JSON API
    new RunPages(pages).register(router);
    new ConfigPages(pages).register(router);
    new MappingPages(pages).register(router);
    new AccountPages(pages).register(router);

    // live events
    router.get("/events").handler(this::streamEvents);

    // metrics (guarded in requireLogin: a session, or web.metrics_token as a Bearer token)
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(io.github.anilistmalsync.metrics.ServiceMetrics.scrape()));

    // what no route above answers under /api/ is answered as the API answers, in JSON
    router.route("/api/*").handler(ctx -> json(ctx, 404,
        error("no such API endpoint: " + ctx.request().method() + " " + ctx.normalizedPath())));
    router.route().handler(this::refuseDataFiles);
    router.route().handler(StaticHandler.create(STATIC_ROOT).setCachingEnabled(false));
    router.route().failureHandler(this::failed);
    return router;
  }

  /**
   * The last word on a request that failed in a handler: input of the wrong shape is the caller's 400, anything else
   * a 500 that names no internals (the log has them). API callers get JSON, browsers a page.
   */
  private void failed(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    boolean badInput = failure instanceof ClassCastException || failure instanceof IllegalArgumentException
        || failure instanceof io.vertx.core.json.DecodeException;
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : badInput ? 400 : 500;
    String message = status == 400 ? "malformed request: a field is missing or has the wrong type"
        : status >= 500 ? "internal error (the service log has the details)" : "request refused";
    if (status >= 500) {
      LOG.error("{} {} failed", ctx.request().method(), ctx.normalizedPath(), failure);
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
    } else if (ctx.normalizedPath().startsWith("/api/")) {
      json(ctx, status, error(message));
    } else {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(message);
    }
  }

  /**
   * Vert.x looks for {@code webroot/<path>} on disk (relative to the working directory) before the jar, so a data
   * directory placed under it would have its token file, config and database served as assets. Nothing inside the
   * data directory is ever served, whatever the two directories are.
   */
  private void refuseDataFiles(RoutingContext ctx) {
    boolean data;
    try {
      Path disk = Path.of(STATIC_ROOT).resolve(ctx.normalizedPath().replaceFirst("^/+", "")).toAbsolutePath().normalize();
      data = Files.exists(disk) && Files.exists(config.dataDir())
          && disk.toRealPath().startsWith(config.dataDir().toRealPath());
    } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
      data = true;
    }
    if (data) {
      ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8").end("Not Found");
    } else {
      ctx.next();
    }
  }

  private void securityHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "same-origin");
    ctx.next();
  }

  private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /**
   * Refuses a request whose Host header names a host we were not told to answer to, so a web page whose DNS name
   * is rebound to this machine's address cannot read the dashboard: IP literals and {@code localhost} always pass,
   * other names only when listed in {@code web.allowed_hosts}.
   */
  private void checkHost(RoutingContext ctx) {
    // no Host at all (an HTTP/1.0 probe such as the Dockerfile's health check) cannot be a browser being rebound
    String header = ctx.request().getHeader("Host");
    if (header == null || allowedHost(hostName(header))) {
      ctx.next();
      return;
    }
    ctx.response().setStatusCode(421).putHeader("Content-Type", "text/plain; charset=utf-8")
        .end("This service does not answer to that host name. To reach it by a name, add the name to "
            + "web.allowed_hosts in config.yaml (IP addresses and localhost always work).");
  }

  /** The host part of a Host header ({@code name:port}, {@code [v6]:port}), lower case; null when absent. */
  static String hostName(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String h = header.trim().toLowerCase(java.util.Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? null : h.substring(0, end + 1);
    }
    int colon = h.lastIndexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  private boolean allowedHost(String host) {
    if (host == null) {
      return false;
    }
    if (host.startsWith("[") || IPV4.matcher(host).matches() || host.equals("localhost")
        || host.endsWith(".localhost")) {
      return true;
    }
    String configuredHost = config.string("web.host");
    if (configuredHost != null && host.equalsIgnoreCase(configuredHost)) {
      return true;
    }
    Object allowed = config.get("web.allowed_hosts");
    List<String> names = allowed instanceof JsonArray list ? list.stream().map(String::valueOf).toList()
        : allowed == null ? List.of() : List.of(String.valueOf(allowed).split(","));
    String bare = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    return names.stream().map(n -> n.trim().toLowerCase(java.util.Locale.ROOT)).anyMatch(bare::equals);
  }

  /** Lets a request through when it has a session, a valid API token on /api/*, or asks for a public path. */
  private void requireLogin(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    if (PUBLIC_PATHS.contains(path)) {
      ctx.next();
      return;
    }
    String bearer = bearerToken(ctx);
    Session session = ctx.session();
    boolean loggedIn = session != null && session.get(USER_KEY) != null;
    if (path.equals("/metrics") && config.string("web.metrics_token") != null) {
      if (bearer != null && sameSecret(bearer, config.string("web.metrics_token"))) {
        ctx.put(VIA_TOKEN, true);
        ctx.next();
      } else if (loggedIn) {
        ctx.next();
      } else {
        json(ctx, 401, error("metrics token required"));
      }
      return;
    }
    boolean api = path.startsWith("/api/");
    if (api && bearer != null) {
      String apiToken = config.string("web.api_token");
      if (apiToken != null && sameSecret(bearer, apiToken)) {
        ctx.put(VIA_TOKEN, true);
        ctx.next();
      } else {
        json(ctx, 401, error("invalid API token"));
      }
      return;
    }
    if (loggedIn) {
      ctx.next();
    } else if (api || path.equals("/events") || path.equals("/metrics")) {
      json(ctx, 401, error("login required"));
    } else {
      ctx.redirect("/login");
    }
  }

  /** Refuses state-changing requests that do not carry the session's CSRF token; API-token calls are exempt. */
  private void checkCsrf(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    boolean safe = method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
    if (safe || Boolean.TRUE.equals(ctx.get(VIA_TOKEN))) {
      ctx.next();
      return;
    }
    String given = ctx.request().getHeader(CSRF_HEADER);
    if (given == null) {
      given = ctx.request().getFormAttribute(CSRF_FIELD);
    }
    String expected;
    if (ctx.normalizedPath().equals("/login")) {
      io.vertx.core.http.Cookie cookie = ctx.request().getCookie(LOGIN_CSRF_COOKIE);
      expected = cookie == null || !signedByUs(cookie.getValue()) ? null : cookie.getValue();
    } else {
      Session session = ctx.session();
      expected = session == null ? null : session.get(CSRF_KEY);
    }
    if (expected != null && given != null && sameSecret(given, expected)) {
      ctx.next();
    } else {
      ctx.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("Missing or invalid CSRF token. Reload the page and try again.");
    }
  }

  // ---- login ---------------------------------------------------------------------------------------------

  private void showLogin(RoutingContext ctx) {
    // only a browser that already has a session can be logged in; anyone else gets no stored session
    if (ctx.request().getCookie(SESSION_COOKIE) != null && ctx.session() != null
        && ctx.session().get(USER_KEY) != null) {
      ctx.redirect("/");
      return;
    }
    pages.render(ctx, 200, "login", loginModel(ctx, null));
  }

  private JsonObject loginModel(RoutingContext ctx, String problem) {
    return new JsonObject()
        .put("title", "Sign in")
        .put("csrfToken", loginCsrfToken(ctx))
        .put("demo", config.demo())
        .put("problem", problem)
        .put("generatedPassword", config.string("web.password") == null);
  }

  private void login(RoutingContext ctx) {
    String client = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().host();
    // counted before the password is checked: parallel guesses cannot all be checked
    long lockedFor = throttle.begin(client, System.currentTimeMillis());
    if (lockedFor > 0) {
      long seconds = (lockedFor + 999) / 1000;
      ctx.response().putHeader("Retry-After", String.valueOf(seconds));
      pages.render(ctx, 429, "login", loginModel(ctx, "Too many failed attempts. Try again in " + seconds + " s."));
      return;
    }
    String password = ctx.request().getFormAttribute("password");
    int generation = passwordGeneration;
    passwordHash.compose(hash -> vertx.executeBlocking(() -> PasswordHasher.verify(password, hash)))
        .map(ok -> ok && generation == passwordGeneration)
        .onSuccess(ok -> {
          long delay = throttle.finish(client, ok);
          if (ok) {
            upgradeHash(password);
            Session session = ctx.session();
            session.regenerateId();
            session.put(USER_KEY, "admin");
            session.put(CSRF_KEY, PasswordHasher.randomSecret(24));
            LOG.info("dashboard login from {}", client);
            ctx.redirect("/");
          } else {
            LOG.warn("refused dashboard login from {}", client);
            vertx.setTimer(Math.max(1, delay),
                t -> pages.render(ctx, 401, "login", loginModel(ctx, "Wrong password.")));
          }
        })
        .onFailure(err -> {
          throttle.finish(client, false);
          ctx.fail(err);
        });
  }

  /** Re-hashes the password with today's settings when the stored hash is older; logins keep working meanwhile. */
  private void upgradeHash(String password) {
    Future<String> current = passwordHash;
    current.onSuccess(hash -> {
      if (!PasswordHasher.needsUpgrade(hash)) {
        return;
      }
      Future<String> upgraded = vertx.executeBlocking(() -> {
        String stronger = PasswordHasher.hash(password);
        passwordStore.save(stronger);
        return stronger;
      });
      passwordHash = upgraded
          .onSuccess(h -> LOG.info("dashboard password hash upgraded to today's settings"))
          .recover(err -> {
            LOG.error("could not store the upgraded dashboard password hash: {}", err.toString());
            return current;
          });
    });
  }

  private void logout(RoutingContext ctx) {
    Session session = ctx.session();
    if (session != null) {
      session.destroy();
    }
    ctx.redirect("/login");
  }

  /**
   * A fresh signed token for the login form, also set as a cookie the form's post must bring back (a signed double
   * submit): the check needs no stored session, so visits of /login cost the server nothing.
   */
  private String loginCsrfToken(RoutingContext ctx) {
    // a browser that already holds one keeps it: its other tabs, or a redirected favicon request that loads /login
    // again, must not invalidate the form it is showing
    io.vertx.core.http.Cookie held = ctx.request().getCookie(LOGIN_CSRF_COOKIE);
    if (held != null && signedByUs(held.getValue())) {
      return held.getValue();
    }
    String nonce = PasswordHasher.randomSecret(18);
    String token = nonce + "." + signature(nonce);
    ctx.response().addCookie(io.vertx.core.http.Cookie.cookie(LOGIN_CSRF_COOKIE, token)
        .setPath("/login").setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setSecure(secureCookies()));
    return token;
  }

  private boolean signedByUs(String token) {
    int dot = token.indexOf('.');
    return dot > 0 && sameSecret(token.substring(dot + 1), signature(token.substring(0, dot)));
  }

  private String signature(String nonce) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(loginCsrfKey, "HmacSHA256"));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(nonce.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private boolean secureCookies() {
    return tuning.secureCookie() || config.bool("web.secure_cookies");
  }

  /** How many sessions the server keeps right now (a test checks that anonymous visits add none). */
  Future<Integer> storedSessions() {
    return sessions.size();
  }

  static String csrfToken(Session session) {
    String token = session.get(CSRF_KEY);
    if (token == null) {
      token = PasswordHasher.randomSecret(24);
      session.put(CSRF_KEY, token);
    }
    return token;
  }

  /**
   * Returns the stored hash, after hashing {@code web.password} when configured, or after generating a password
   * into {@code DATA_DIR/initial-password} when there is neither. Blocking.
   */
  private String preparePassword(PasswordStore store) throws Exception {
    String configured = config.string("web.password");
    if (configured != null && !configured.isEmpty()) {
      var stored = store.load();
      if (stored.isPresent() && PasswordHasher.verify(configured, stored.get())) {
        return stored.get();
      }
      String hash = PasswordHasher.hash(configured);
      store.save(hash);
      return hash;
    }
    var stored = store.load();
    if (stored.isPresent()) {
      return stored.get();
    }
    Path file = config.dataDir().resolve(INITIAL_PASSWORD_FILE);
    if (!Files.isDirectory(config.dataDir())) AtomicFiles.createPrivateDirectory(config.dataDir().toAbsolutePath());
    String password = PasswordHasher.randomSecret(18);
    AtomicFiles.write(file, password + "\n");
    String hash = PasswordHasher.hash(password);
    store.save(hash);
    LOG.warn("no web.password configured: generated a dashboard password, readable in {} (mode 0600)",
        file.toAbsolutePath());
    return hash;
  }

  // ---- dashboard -----------------------------------------------------------------------------------------

  private void showDashboard(RoutingContext ctx) {
    Future<JsonObject> status = pages.request(Addresses.SYNC_STATUS, new JsonObject()).recover(err -> Future.succeededFuture(null));
    Future<JsonObject> auth = pages.request(Addresses.AUTH_STATUS, new JsonObject()).recover(err -> Future.succeededFuture(null));
    Future.join(status, auth).onComplete(done -> pages.render(ctx, 200, "dashboard", dashboardModel(ctx, status.result(), auth.result())));
  }

  /** What the dashboard shows, for scripts: the coordinator's status, sign-in states, config problems. */
  private void status(RoutingContext ctx) {
    Future<JsonObject> status = pages.request(Addresses.SYNC_STATUS, new JsonObject());
    Future<JsonObject> auth = pages.request(Addresses.AUTH_STATUS, new JsonObject()).recover(err -> Future.succeededFuture(null));
    Future.join(status, auth).onComplete(done -> {
      if (status.failed()) {
        apiFailure(ctx, status.cause());
        return;
      }
      json(ctx, 200, status.result()
          .put("services", auth.result() == null ? new JsonArray() : AccountPages.accounts(auth.result()))
          .put("configProblems", configProblems == null ? new JsonArray() : configProblems.copy()));
    });
  }

  private JsonObject dashboardModel(RoutingContext ctx, JsonObject status, JsonObject auth) {
    JsonArray types = new JsonArray();
    Map<String, JsonObject> reported = new LinkedHashMap<>();
    if (status != null) {
      for (Object o : status.getJsonArray("types", new JsonArray())) {
        if (o instanceof JsonObject t && t.getString("type") != null) {
          reported.put(t.getString("type"), t);
        }
      }
    }
    for (MediaType type : config.types()) {
      JsonObject t = reported.getOrDefault(type.name(), new JsonObject());
      JsonObject last = t.getValue("lastRun") instanceof JsonObject l ? l : null;
      JsonObject counts = last == null ? null
          : last.getJsonObject("types", new JsonObject()).getJsonObject(type.name());
      types.add(new JsonObject()
          .put("type", type.name())
          .put("lastRun", describe(t.getValue("lastRun"), "never"))
          .put("lastRunId", last == null ? null : last.getString("runId"))
          .put("lastCounts", counts == null ? null : new JsonObject()
              .put("created", counts.getInteger("created", 0)).put("updated", counts.getInteger("updated", 0))
              .put("deleted", counts.getInteger("deleted", 0)).put("unchanged", counts.getInteger("unchanged", 0))
              .put("heldApart", counts.getInteger("heldApart", 0))
              .put("unmapped", counts.getInteger("unmapped", 0)).put("conflicts", counts.getInteger("conflicts", 0))
              .put("errors", counts.getInteger("errors", 0)))
          .put("nextRunAt", describe(t.getValue("nextRunAt"), "not scheduled")));
    }
    JsonObject totals = status == null ? null : status.getJsonObject("totals");
    JsonArray problems = new JsonArray();
    if (configProblems != null) {
      configProblems.forEach(p -> problems.add(p instanceof JsonObject o
          ? o.getString("key", "config") + ": " + o.getString("message", "") : String.valueOf(p)));
    }
    JsonObject model = pages.page(ctx, "Dashboard", "dashboard")
        .put("coordinatorRunning", status != null)
        .put("running", status == null ? null : status.getString("running"))
        .put("dryRun", status == null ? config.dryRun() : status.getBoolean("dryRun", config.dryRun()))
        .put("mode", config.mode())
        .put("totals", totals)
        .put("services", auth == null ? new JsonArray() : AccountPages.accounts(auth))
        .put("configProblems", problems)
        .put("types", types)
        .put("live", liveModel(status == null ? null : status.getJsonObject("live"), java.time.Instant.now()));
    guideNewUser(model, auth == null ? new JsonArray() : AccountPages.accounts(auth));
    EventRelay.Event last = relay.latest("progress");
    if (last != null) {
      JsonObject p = new JsonObject(last.json());
      model.put("lastProgress", new JsonObject()
          .put("phase", p.getString("phase"))
          .put("type", p.getString("type"))
          .put("title", p.getString("title"))
          .put("done", p.getValue("done"))
          .put("total", p.getValue("total")));
    }
    return model;
  }

  /** A short text for a status value that may be a timestamp, an object with one, or absent. */
  private static String describe(Object value, String absent) {
    if (value == null) {
      return absent;
    }
    if (value instanceof JsonObject o) {
      String at = readableTime(o.getString("finishedAt", o.getString("at", o.getString("startedAt"))));
      String result = resultInWords(o.getString("result"));
      return (at == null ? "" : at) + (result == null ? "" : (at == null ? "" : " ") + result);
    }
    return readableTime(String.valueOf(value));
  }

  /**
   * Until both services are connected, the dashboard shows the steps to get there instead of a run that "needs
   * sign-in", and Sync now is disabled with the reason. A token about to run out (AniList's lasts a year and cannot be
   * refreshed) keeps its Connect button on the dashboard.
   */
  private static void guideNewUser(JsonObject model, JsonArray services) {
    JsonArray steps = new JsonArray();
    boolean allConnected = !services.isEmpty();
    java.util.List<String> missing = new java.util.ArrayList<>();
    for (Object o : services) {
      JsonObject s = (JsonObject) o;
      boolean connected = "signedIn".equals(s.getString("state")) || "expiring".equals(s.getString("state"));
      if (!connected) missing.add(s.getString("name"));
      allConnected &= connected;
      steps.add(new JsonObject().put("text", (connected ? "Connected to " : "Connect ") + s.getString("name"))
          .put("done", connected).put("service", s.getString("service")));
    }
    steps.add(new JsonObject().put("text", "Preview the first sync").put("done", false).put("preview", true).put("ready", allConnected));
    for (int i = 0; i < steps.size(); i++) steps.getJsonObject(i).put("number", i + 1);
    if (!allConnected) {
      model.put("setupSteps", steps)
          .put("syncBlocked", "Connect " + String.join(" and ", missing) + " first: a sync needs both accounts.");
    }
    JsonArray expiring = new JsonArray();
    services.forEach(o -> {
      if ("expiring".equals(((JsonObject) o).getString("state"))) expiring.add(o);
    });
    model.put("expiring", expiring);
  }

  /** A run's result as a person says it, not the wire's word. */
  static String resultInWords(String result) {
    if (result == null) return null;
    return switch (result) {
      case "needsSignIn" -> "stopped: a service needs sign-in";
      case "planChanged" -> "not applied: the lists changed since the preview";
      case "refused" -> "refused by the mass-change guard";
      case "interrupted" -> "interrupted: the service was stopping";
      default -> result;
    };
  }

  private static final java.time.format.DateTimeFormatter READABLE =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(java.time.ZoneOffset.UTC);

  /** An ISO instant as people read it (to the second, UTC); anything else as it is. */
  private static String readableTime(String value) {
    if (value == null) return null;
    try {
      return READABLE.format(java.time.Instant.parse(value));
    } catch (RuntimeException e) {
      return value;
    }
  }

  private void triggerSync(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      json(ctx, 400, error("body must be a JSON object"));
      return;
    }
    if (body == null) {
      body = new JsonObject();
    }
    Object dryRun = body.getValue("dryRun");
    Object type = body.getValue("type");
    if (dryRun != null && !(dryRun instanceof Boolean)) {
      json(ctx, 400, error("dryRun must be true or false"));
      return;
    }
    JsonObject trigger = new JsonObject().put("dryRun", Boolean.TRUE.equals(dryRun)).put("trigger", "manual");
    if (type != null) {
      try {
        trigger.put("type", MediaType.parse((String) type).name());
      } catch (RuntimeException e) {
        json(ctx, 400, error("type must be ANIME or MANGA"));
        return;
      }
    }
    pages.request(Addresses.SYNC_TRIGGER, trigger)
        .onSuccess(reply -> json(ctx, 202, new JsonObject().put("runId", reply.getValue("runId"))))
        .onFailure(err -> {
          if (Pages.coordinatorAbsent(err)) {
            json(ctx, 503, error("sync coordinator not running"));
          } else {
            json(ctx, 409, error(err.getMessage()));
          }
        });
  }

  // ---- live events ---------------------------------------------------------------------------------------

  private Future<Void> relayBusEvents() {
    var bus = vertx.eventBus();
    List<Future<Void>> ready = new ArrayList<>();
    ready.add(bus.<JsonObject>consumer(Addresses.SYNC_PROGRESS, m -> relayBody("progress", m)).completion());
    ready.add(bus.<JsonObject>consumer(Addresses.SYNC_FINISHED, m -> relayBody("finished", m)).completion());
    ready.add(bus.<JsonObject>consumer(Addresses.AUTH_STATE, m -> relayBody("auth", m)).completion());
    ready.add(bus.<JsonObject>consumer(Addresses.CONFIG_PROBLEMS, m -> {
      configProblems = m.body() == null ? new JsonArray() : m.body().getJsonArray("problems", new JsonArray());
      relayBody("config-problems", m);
    }).completion());
    // The new config carries secrets: browsers only learn that it changed.
    ready.add(bus.<JsonObject>consumer(Addresses.CONFIG_CHANGED, m -> {
      configProblems = null;
      reloadConfig(m.body());
      relay.publish("config-changed", new JsonObject().put("message", "config reloaded").encode());
    }).completion());
    return Future.all(ready).mapEmpty();
  }

  /**
   * Takes a reloaded config: the API and metrics tokens apply at once, a changed password is hashed off the event
   * loop and logins wait for it. Host and port changes need a restart.
   */
  private void reloadConfig(JsonObject body) {
    if (body == null) {
      return;
    }
    JsonObject json = body.copy();
    if (!json.containsKey(AppConfig.DATA_DIR)) {
      json.put(AppConfig.DATA_DIR, config.json().getValue(AppConfig.DATA_DIR));
    }
    if (!json.containsKey(AppConfig.DEMO) && config.json().containsKey(AppConfig.DEMO)) {
      json.put(AppConfig.DEMO, config.json().getValue(AppConfig.DEMO));
    }
    String oldPassword = config.string("web.password");
    config = AppConfig.of(json);
    String newPassword = config.string("web.password");
    if (newPassword != null && !newPassword.isEmpty() && !newPassword.equals(oldPassword)) {
      // whoever knew the old password is out: every session ends, and logins checked against it are void
      passwordGeneration++;
      if (sessions != null) {
        sessions.clear().onSuccess(v -> LOG.info("dashboard password changed: every session ended"));
      }
      Future<String> previous = passwordHash;
      passwordHash = vertx.executeBlocking(() -> preparePassword(passwordStore))
          .onSuccess(h -> LOG.info("dashboard password changed by a config reload"))
          .recover(err -> {
            LOG.error("could not store the new dashboard password hash: {}", err.toString());
            return previous;
          });
    }
  }

  private void relayBody(String name, Message<JsonObject> msg) {
    JsonObject body = msg.body() == null ? new JsonObject() : msg.body();
    relay.publish(name, body.encode());
  }

  private void streamEvents(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    long lastId = parseLastEventId(ctx);
    StringBuilder first = new StringBuilder("retry: 3000\n\n");
    for (EventRelay.Event e : relay.since(lastId)) {
      first.append(e.toWire());
    }
    response.write(first.toString());

    // A browser that cannot keep up is dropped rather than buffered without bound; it reconnects with Last-Event-ID.
    Consumer<EventRelay.Event> listener = e -> {
      if (response.writeQueueFull()) {
        ctx.request().connection().close();
      } else {
        response.write(e.toWire());
      }
    };
    relay.subscribe(listener);
    long timer = vertx.setPeriodic(tuning.heartbeatMs(), t -> response.write(": ping\n\n"));
    openStreams++;
    AtomicBoolean released = new AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        relay.unsubscribe(listener);
        vertx.cancelTimer(timer);
        openStreams--;
      }
    };
    response.closeHandler(v -> release.run());
    response.endHandler(v -> release.run());
  }

  private static long parseLastEventId(RoutingContext ctx) {
    String header = ctx.request().getHeader("Last-Event-ID");
    if (header == null) {
      header = ctx.request().getParam("lastEventId");
    }
    if (header == null) {
      return Long.MAX_VALUE;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  // ---- health --------------------------------------------------------------------------------------------

  private void showHealth(RoutingContext ctx) {
    Map<String, Future<Boolean>> pings = new LinkedHashMap<>();
    PINGS.forEach((name, address) -> pings.put(name, pages.request(address, new JsonObject())
        .map(r -> true).recover(err -> Future.succeededFuture(false))));
    Future<JsonObject> auth = pages.request(Addresses.AUTH_STATUS, new JsonObject())
        .recover(err -> Future.succeededFuture(null));
    Future<JsonObject> sync = pages.request(Addresses.SYNC_STATUS, new JsonObject())
        .recover(err -> Future.succeededFuture(null));
    List<Future<?>> all = new ArrayList<>(pings.values());
    all.add(auth);
    all.add(sync);
    Future.join(all).onComplete(done -> {
      JsonObject verticles = new JsonObject().put("web", true);
      pings.forEach((name, f) -> verticles.put(name, f.result()));
      boolean verticlesUp = verticles.stream().allMatch(e -> Boolean.TRUE.equals(e.getValue()));

      JsonObject services = new JsonObject().put("anilist", "unknown").put("mal", "unknown");
      if (auth.result() != null) {
        for (Object o : auth.result().getJsonArray("services", new JsonArray())) {
          if (o instanceof JsonObject s && services.containsKey(s.getString("service", ""))) {
            services.put(s.getString("service"), s.getString("state", "unknown"));
          }
        }
      }
      boolean signedIn = services.stream().allMatch(e -> "signedIn".equals(e.getValue())
          || "expiring".equals(e.getValue()));

      JsonObject lastSync = new JsonObject();
      if (sync.result() != null) {
        for (Object o : sync.result().getJsonArray("types", new JsonArray())) {
          if (o instanceof JsonObject t && t.getString("type") != null) {
            lastSync.put(t.getString("type"), lastSuccess(t.getValue("lastRun")));
          }
        }
      }
      boolean configValid = configProblems == null || configProblems.isEmpty();
      boolean ready = verticlesUp && configValid && signedIn;
      JsonObject body = new JsonObject()
          .put("status", ready ? "UP" : "DOWN")
          .put("verticles", verticles)
          .put("configValid", configValid)
          .put("configProblems", configValid ? 0 : configProblems.size())
          .put("services", services)
          .put("lastSuccessfulSync", lastSync);
      json(ctx, ready ? 200 : 503, body);
    });
  }

  /** The time of a run if it succeeded; null otherwise. Only plain fields are copied: nothing secret leaks. */
  private static String lastSuccess(Object lastRun) {
    if (lastRun instanceof JsonObject o) {
      String result = o.getString("result");
      if (result != null && !"ok".equals(result)) {
        return null;
      }
      return o.getString("finishedAt", o.getString("at"));
    }
    return lastRun instanceof String s ? s : null;
  }

  // ---- plumbing ------------------------------------------------------------------------------------------

  private static String bearerToken(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return header.substring(7).trim();
  }

  /** Constant-time comparison, so response timing does not reveal how much of a secret was right. */
  private static boolean sameSecret(String given, String expected) {
    return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> pings() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("anilist", Addresses.ANILIST_PING);
    m.put("mal", Addresses.MAL_PING);
    m.put("sync", Addresses.SYNC_PING);
    m.put("auth", Addresses.AUTH_PING);
    return m;
  }

  // ---- live sync on the dashboard ---------------------------------------------------------------------------

  /** "Live: checked 12 s ago" and what the last poll carried, in words; null when the coordinator said nothing. */
  static JsonObject liveModel(JsonObject live, java.time.Instant now) {
    if (live == null || live.isEmpty()) return null;
    if (!live.getBoolean("on", false)) return new JsonObject().put("state", "off").put("checked", "off (sync.live_seconds is 0, or run --once)");
    String at = live.getString("checkedAt");
    String checked = at == null ? "on, not checked yet"
        : "checked " + Math.max(0, java.time.Duration.between(java.time.Instant.parse(at), now).toSeconds()) + " s ago";
    java.util.List<String> parts = new java.util.ArrayList<>();
    JsonObject carried = live.getJsonObject("carried", new JsonObject());
    for (String type : carried.fieldNames()) {
      JsonObject c = carried.getJsonObject(type);
      String titles = String.join(", ", c.getJsonArray("titles", new JsonArray()).stream().map(String::valueOf).toList());
      parts.add(type.toLowerCase(java.util.Locale.ROOT) + ": " + c.getInteger("fromAniList", 0) + " from AniList, "
          + c.getInteger("fromMal", 0) + " from MyAnimeList, " + (c.getInteger("created", 0) + c.getInteger("updated", 0)) + " written"
          + (titles.isEmpty() ? "" : " (" + titles + ")"));
    }
    String result = live.getString("result", "");
    String carriedText = "failed".equals(result) ? "failed: " + live.getString("error", "see the log") + " (the next poll reads the same changes)"
        : parts.isEmpty() ? "nothing new" : String.join("; ", parts);
    return new JsonObject().put("state", result).put("checked", checked).put("carried", carriedText)
        .put("runId", live.getString("runId")).put("idlePolls", live.getLong("idlePolls", 0L));
  }
}
