package io.github.anilistmalsync.web;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.config.AppConfig;
import io.github.anilistmalsync.files.AtomicFiles;
import io.github.anilistmalsync.model.MediaType;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
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
  private static final String NOTICE_KEY = "notice";
  /** Secrets typed into a config save that was refused: kept server-side for the next try, never sent back. */
  private static final String CONFIG_PENDING_KEY = "configPending";
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
  private LoginThrottle throttle;
  private EventRelay relay;
  private HttpServer server;
  /** The hash logins are checked against; replaced (as a Future) when a config reload changes the password. */
  private Future<String> passwordHash;
  private PasswordStore passwordStore;
  private JsonArray configProblems;
  private volatile int openStreams;

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
    throttle = new LoginThrottle(tuning.maxFailures(), tuning.lockoutMs(), tuning.failureDelayMs());
    relay = new EventRelay(tuning.replayEvents(), System.currentTimeMillis());
    passwordStore = new FilePasswordStore(config.dataDir().resolve(PASSWORD_HASH_FILE));
    return vertx.eventBus()
        .<JsonObject>consumer(Addresses.WEB_PING, msg -> msg.reply(new JsonObject().put("verticle", "web")))
        .completion()
        .compose(v -> relayBusEvents())
        .compose(v -> vertx.executeBlocking(() -> preparePassword(passwordStore)))
        .compose(hash -> {
          passwordHash = Future.succeededFuture(hash);
          routes = router();
          return vertx.createHttpServer()
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
    router.route().handler(BodyHandler.create().setBodyLimit(64 * 1024));
    router.route().handler(SessionHandler.create(LocalSessionStore.create(vertx))
        .setSessionCookieName(SESSION_COOKIE)
        .setCookieHttpOnlyFlag(true)
        .setCookieSameSite(CookieSameSite.LAX)
        .setCookieSecureFlag(tuning.secureCookie())
        .setSessionTimeout(4 * 3600_000L)
        .setLazySession(true));
    router.route().handler(this::requireLogin);
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

    // history, preview, mappings, accounts: pages and their JSON API
    historyRoutes(router);
    previewRoutes(router);
    configRoutes(router);
    mappingRoutes(router);
    accountRoutes(router);

    // live events
    router.get("/events").handler(this::streamEvents);

    // metrics (guarded in requireLogin: a session, or web.metrics_token as a Bearer token)
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(io.github.anilistmalsync.metrics.ServiceMetrics.scrape()));

    router.route().handler(StaticHandler.create("webroot").setCachingEnabled(false));
    return router;
  }

  private void securityHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "same-origin");
    ctx.next();
  }

  /** Lets a request through when it has a session, a valid API token on /api/*, or asks for a public path. */
  private void requireLogin(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    if (PUBLIC_PATHS.contains(path)) {
      ctx.next();
      return;
    }
    String bearer = bearerToken(ctx);
    if (path.equals("/metrics") && config.string("web.metrics_token") != null) {
      if (bearer != null && sameSecret(bearer, config.string("web.metrics_token"))) {
        ctx.put(VIA_TOKEN, true);
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
    Session session = ctx.session();
    if (session != null && session.get(USER_KEY) != null) {
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
    Session session = ctx.session();
    String expected = session == null ? null : session.get(CSRF_KEY);
    String given = ctx.request().getHeader(CSRF_HEADER);
    if (given == null) {
      given = ctx.request().getFormAttribute(CSRF_FIELD);
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
    if (ctx.session().get(USER_KEY) != null) {
      ctx.redirect("/");
      return;
    }
    render(ctx, 200, "login", loginModel(ctx, null));
  }

  private JsonObject loginModel(RoutingContext ctx, String problem) {
    return new JsonObject()
        .put("title", "Sign in")
        .put("csrfToken", csrfToken(ctx.session()))
        .put("demo", config.demo())
        .put("problem", problem)
        .put("generatedPassword", config.string("web.password") == null);
  }

  private void login(RoutingContext ctx) {
    String client = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().host();
    long lockedFor = throttle.lockedFor(client, System.currentTimeMillis());
    if (lockedFor > 0) {
      long seconds = (lockedFor + 999) / 1000;
      ctx.response().putHeader("Retry-After", String.valueOf(seconds));
      render(ctx, 429, "login", loginModel(ctx, "Too many failed attempts. Try again in " + seconds + " s."));
      return;
    }
    String password = ctx.request().getFormAttribute("password");
    passwordHash.compose(hash -> vertx.executeBlocking(() -> PasswordHasher.verify(password, hash)))
        .onSuccess(ok -> {
          if (ok) {
            throttle.succeeded(client);
            Session session = ctx.session();
            session.regenerateId();
            session.put(USER_KEY, "admin");
            session.put(CSRF_KEY, PasswordHasher.randomSecret(24));
            LOG.info("dashboard login from {}", client);
            ctx.redirect("/");
          } else {
            long delay = throttle.failed(client, System.currentTimeMillis());
            LOG.warn("refused dashboard login from {}", client);
            vertx.setTimer(Math.max(1, delay),
                t -> render(ctx, 401, "login", loginModel(ctx, "Wrong password.")));
          }
        })
        .onFailure(ctx::fail);
  }

  private void logout(RoutingContext ctx) {
    Session session = ctx.session();
    if (session != null) {
      session.destroy();
    }
    ctx.redirect("/login");
  }

  private static String csrfToken(Session session) {
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
    Files.createDirectories(config.dataDir().toAbsolutePath());
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
    Future<JsonObject> status = request(Addresses.SYNC_STATUS, new JsonObject()).recover(err -> Future.succeededFuture(null));
    Future<JsonObject> auth = request(Addresses.AUTH_STATUS, new JsonObject()).recover(err -> Future.succeededFuture(null));
    Future.join(status, auth).onComplete(done -> render(ctx, 200, "dashboard", dashboardModel(ctx, status.result(), auth.result())));
  }

  /** What the dashboard shows, for scripts: the coordinator's status (without plans), sign-in states, config problems. */
  private void status(RoutingContext ctx) {
    Future<JsonObject> status = request(Addresses.SYNC_STATUS, new JsonObject());
    Future<JsonObject> auth = request(Addresses.AUTH_STATUS, new JsonObject()).recover(err -> Future.succeededFuture(null));
    Future.join(status, auth).onComplete(done -> {
      if (status.failed()) {
        apiFailure(ctx, status.cause());
        return;
      }
      JsonObject body = status.result().copy();
      for (Object o : body.getJsonArray("types", new JsonArray())) {
        if (o instanceof JsonObject t && t.getValue("lastRun") instanceof JsonObject last) t.put("lastRun", withoutPlans(last));
      }
      json(ctx, 200, body
          .put("services", auth.result() == null ? new JsonArray() : accounts(auth.result()))
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
    JsonObject model = page(ctx, "Dashboard", "dashboard")
        .put("coordinatorRunning", status != null)
        .put("running", status == null ? null : status.getString("running"))
        .put("dryRun", status == null ? config.dryRun() : status.getBoolean("dryRun", config.dryRun()))
        .put("mode", config.mode())
        .put("totals", totals)
        .put("services", auth == null ? new JsonArray() : accounts(auth))
        .put("configProblems", problems)
        .put("types", types);
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
      String result = o.getString("result");
      return (at == null ? "" : at) + (result == null ? "" : (at == null ? "" : " ") + result);
    }
    return readableTime(String.valueOf(value));
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
    JsonObject trigger = new JsonObject()
        .put("dryRun", body.getBoolean("dryRun", false))
        .put("trigger", "manual");
    String type = body.getString("type");
    if (type != null) {
      try {
        trigger.put("type", MediaType.parse(type).name());
      } catch (RuntimeException e) {
        json(ctx, 400, error("unknown type"));
        return;
      }
    }
    request(Addresses.SYNC_TRIGGER, trigger)
        .onSuccess(reply -> json(ctx, 202, new JsonObject().put("runId", reply.getValue("runId"))))
        .onFailure(err -> {
          if (coordinatorAbsent(err)) {
            json(ctx, 503, error("sync coordinator not running"));
          } else {
            json(ctx, 409, error(err.getMessage()));
          }
        });
  }

  // ---- history -------------------------------------------------------------------------------------------

  private void historyRoutes(Router router) {
    router.get("/history").handler(this::showHistory);
    router.get("/history/:runId").handler(this::showRun);
    router.post("/history/:runId/undo").handler(this::undoFromPage);
    router.get("/api/runs").handler(ctx -> request(Addresses.SYNC_RUNS, runsQuery(ctx))
        .onSuccess(reply -> json(ctx, 200, new JsonObject().put("runs", runRows(reply))))
        .onFailure(err -> apiFailure(ctx, err)));
    router.get("/api/runs/:runId").handler(ctx -> request(Addresses.SYNC_RUN, runQuery(ctx))
        .onSuccess(run -> json(ctx, 200, runModel(run)))
        .onFailure(err -> apiFailure(ctx, err)));
    router.post("/api/runs/:runId/undo").handler(ctx -> undo(ctx.pathParam("runId"))
        .onSuccess(reply -> json(ctx, 200, runResult(reply)))
        .onFailure(err -> apiFailure(ctx, err)));
  }

  private static JsonObject runsQuery(RoutingContext ctx) {
    int limit = 100;
    try {
      String given = ctx.request().getParam("limit");
      if (given != null) {
        limit = Math.max(1, Math.min(1000, Integer.parseInt(given)));
      }
    } catch (NumberFormatException e) {
      // keep the default
    }
    return new JsonObject().put("limit", limit);
  }

  private static JsonObject runQuery(RoutingContext ctx) {
    return new JsonObject().put("runId", ctx.pathParam("runId"));
  }

  private void showHistory(RoutingContext ctx) {
    request(Addresses.SYNC_RUNS, runsQuery(ctx))
        .onSuccess(reply -> {
          JsonArray runs = runRows(reply);
          render(ctx, 200, "history", page(ctx, "History", "history").put("runs", runs).put("empty", runs.isEmpty()));
        })
        .onFailure(err -> pageFailure(ctx, err, "History", "history"));
  }

  /** One row per run: only plain fields, with the duration and per-type counts worked out for the page. */
  private static JsonArray runRows(JsonObject reply) {
    JsonArray rows = new JsonArray();
    for (Object o : reply.getJsonArray("runs", new JsonArray())) {
      if (o instanceof JsonObject run) {
        rows.add(runSummary(run));
      }
    }
    return rows;
  }

  private static JsonObject runSummary(JsonObject run) {
    boolean dryRun = Boolean.TRUE.equals(run.getBoolean("dryRun"));
    JsonObject summary = run.getValue("summary") instanceof JsonObject s ? s : new JsonObject();
    JsonObject types = summary.getValue("types") instanceof JsonObject t ? t : new JsonObject();
    JsonArray counts = new JsonArray();
    for (String type : types.fieldNames()) {
      if (types.getValue(type) instanceof JsonObject c) {
        counts.add(new JsonObject().put("type", type)
            .put("created", c.getInteger("created", 0)).put("updated", c.getInteger("updated", 0))
            .put("deleted", c.getInteger("deleted", 0)).put("unchanged", c.getInteger("unchanged", 0))
            .put("conflicts", c.getInteger("conflicts", 0)).put("errors", c.getInteger("errors", 0)));
      }
    }
    JsonArray errors = new JsonArray();
    for (Object e : summary.getJsonArray("errors", new JsonArray())) {
      errors.add(String.valueOf(e));
    }
    String result = run.getString("result");
    return new JsonObject()
        .put("id", run.getString("id"))
        .put("trigger", run.getString("trigger"))
        .put("mode", run.getString("mode"))
        .put("dryRun", dryRun)
        .put("modeLabel", dryRun ? "dry run" : run.getString("mode"))
        .put("startedAt", run.getString("startedAt"))
        .put("finishedAt", run.getString("finishedAt"))
        .put("duration", duration(run.getString("startedAt"), run.getString("finishedAt")))
        .put("result", result == null ? "did not finish" : result)
        .put("counts", counts)
        .put("errors", errors);
  }

  private static String duration(String started, String finished) {
    if (started == null || finished == null) {
      return "";
    }
    try {
      long ms = java.time.Duration.between(java.time.Instant.parse(started), java.time.Instant.parse(finished)).toMillis();
      return ms < 1000 ? ms + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    } catch (RuntimeException e) {
      return "";
    }
  }

  private void showRun(RoutingContext ctx) {
    request(Addresses.SYNC_RUN, runQuery(ctx))
        .onSuccess(run -> render(ctx, 200, "run", page(ctx, "Run " + run.getString("id"), "history")
            .put("run", runModel(run))))
        .onFailure(err -> pageFailure(ctx, err, "Run", "history"));
  }

  /** A run with each entry it changed: side, kind, title, field before → after, status and error. */
  private static JsonObject runModel(JsonObject run) {
    JsonObject model = runSummary(run);
    JsonArray entries = new JsonArray();
    boolean wrote = false;
    for (Object o : run.getJsonArray("operations", new JsonArray())) {
      if (!(o instanceof JsonObject op)) {
        continue;
      }
      JsonObject operation = op.getValue("operation") instanceof JsonObject x ? x : new JsonObject();
      JsonObject changes = operation.getValue("changes") instanceof JsonObject c ? c : new JsonObject();
      JsonArray fields = new JsonArray();
      for (String field : changes.fieldNames()) {
        JsonObject change = changes.getValue(field) instanceof JsonObject c ? c : new JsonObject();
        fields.add(new JsonObject().put("field", field)
            .put("before", text(change.getValue("before")))
            .put("after", text(change.getValue("after"))));
      }
      String status = op.getString("status");
      wrote |= "applied".equals(status);
      entries.add(new JsonObject()
          .put("seq", op.getValue("seq"))
          .put("type", op.getString("type"))
          .put("side", op.getString("side"))
          .put("kind", op.getString("kind"))
          .put("title", op.getString("title"))
          .put("changes", fields)
          .put("reason", operation.getString("reason"))
          .put("status", status)
          .put("error", op.getValue("error") == null ? null : String.valueOf(op.getValue("error"))));
    }
    boolean preview = model.getBoolean("dryRun") || "planChanged".equals(model.getString("result"));
    return model.put("entries", entries).put("empty", entries.isEmpty()).put("writeCount", entries.size())
        .put("canUndo", wrote && !model.getBoolean("dryRun"))
        .put("preview", preview)
        .put("canApply", preview && !wrote && !entries.isEmpty());
  }

  private static String text(Object value) {
    return value == null ? "—" : String.valueOf(value);
  }

  private Future<JsonObject> undo(String runId) {
    return vertx.eventBus()
        .<JsonObject>request(Addresses.SYNC_UNDO, new JsonObject().put("runId", runId),
            new DeliveryOptions().setSendTimeout(Math.max(tuning.busTimeoutMs(), 120_000)))
        .map(Message::body);
  }

  private static JsonObject runResult(JsonObject reply) {
    JsonArray errors = new JsonArray();
    for (Object e : reply.getJsonArray("errors", new JsonArray())) {
      errors.add(String.valueOf(e));
    }
    return new JsonObject()
        .put("runId", reply.getString("runId"))
        .put("undoOf", reply.getString("undoOf"))
        .put("result", reply.getString("result"))
        .put("types", reply.getValue("types") instanceof JsonObject t ? t : new JsonObject())
        .put("errors", errors);
  }

  private void undoFromPage(RoutingContext ctx) {
    String runId = ctx.pathParam("runId");
    undo(runId)
        .onSuccess(reply -> {
          JsonObject result = runResult(reply);
          int skipped = result.getJsonArray("errors").size();
          notice(ctx, "Undo of run " + runId + ": " + result.getString("result")
              + (skipped == 0 ? "" : ", " + skipped + " entries skipped or failed") + ".");
          String target = result.getString("runId");
          ctx.redirect(target == null ? "/history/" + urlPart(runId) : "/history/" + urlPart(target));
        })
        .onFailure(err -> {
          notice(ctx, "Undo failed: " + ServiceException.from(err).getMessage());
          ctx.redirect("/history/" + urlPart(runId));
        });
  }

  // ---- preview -------------------------------------------------------------------------------------------

  /** A dry run can take minutes at the services' rate limits: the preview waits for it that long. */
  private static final long PREVIEW_TIMEOUT_MS = 30 * 60_000L;

  private void previewRoutes(Router router) {
    router.get("/preview").handler(this::showLatestPreview);
    router.post("/preview").handler(this::previewFromPage);
    router.get("/preview/:runId").handler(this::showPreview);
    router.post("/preview/:runId/apply").handler(this::applyFromPage);
    router.post("/api/preview").handler(ctx -> preview()
        .compose(runId -> request(Addresses.SYNC_RUN, new JsonObject().put("runId", runId)))
        .onSuccess(run -> json(ctx, 200, runModel(run)))
        .onFailure(err -> apiFailure(ctx, err)));
    router.post("/api/preview/:runId/apply").handler(ctx -> apply(ctx.pathParam("runId"))
        .onSuccess(reply -> json(ctx, 200, runResult(reply).put("applyOf", reply.getString("applyOf"))))
        .onFailure(err -> apiFailure(ctx, err)));
  }

  /** Runs a dry run of every configured type to its end and answers its run id. */
  private Future<String> preview() {
    return vertx.eventBus()
        .<JsonObject>request(Addresses.SYNC_TRIGGER, new JsonObject().put("dryRun", true).put("trigger", "preview").put("wait", true),
            new DeliveryOptions().setSendTimeout(PREVIEW_TIMEOUT_MS))
        .map(msg -> msg.body().getString("runId"));
  }

  private Future<JsonObject> apply(String previewId) {
    return vertx.eventBus()
        .<JsonObject>request(Addresses.SYNC_APPLY, new JsonObject().put("runId", previewId),
            new DeliveryOptions().setSendTimeout(PREVIEW_TIMEOUT_MS))
        .map(Message::body);
  }

  /** The newest preview, or an invitation to make one. */
  private void showLatestPreview(RoutingContext ctx) {
    request(Addresses.SYNC_RUNS, new JsonObject().put("limit", 100))
        .onSuccess(reply -> {
          for (Object o : reply.getJsonArray("runs", new JsonArray())) {
            if (o instanceof JsonObject run && (Boolean.TRUE.equals(run.getBoolean("dryRun")) || "planChanged".equals(run.getString("result")))) {
              ctx.redirect("/preview/" + urlPart(run.getString("id")));
              return;
            }
          }
          render(ctx, 200, "preview", previewPage(ctx));
        })
        .onFailure(err -> pageFailure(ctx, err, "Preview", "preview"));
  }

  private JsonObject previewPage(RoutingContext ctx) {
    return page(ctx, "Preview", "preview").put("dryRunConfigured", config.dryRun());
  }

  private void showPreview(RoutingContext ctx) {
    request(Addresses.SYNC_RUN, runQuery(ctx))
        .onSuccess(run -> {
          JsonObject model = runModel(run);
          if (!model.getBoolean("preview")) {
            ctx.redirect("/history/" + urlPart(model.getString("id")));
            return;
          }
          model.put("canApply", model.getBoolean("canApply") && !config.dryRun());
          render(ctx, 200, "preview", previewPage(ctx).put("run", model));
        })
        .onFailure(err -> pageFailure(ctx, err, "Preview", "preview"));
  }

  private void previewFromPage(RoutingContext ctx) {
    preview()
        .onSuccess(runId -> ctx.redirect("/preview/" + urlPart(runId)))
        .onFailure(err -> {
          notice(ctx, "The preview could not be made: " + messageOf(err));
          ctx.redirect("/preview");
        });
  }

  private void applyFromPage(RoutingContext ctx) {
    String previewId = ctx.pathParam("runId");
    apply(previewId)
        .onSuccess(reply -> {
          String runId = reply.getString("runId");
          if ("planChanged".equals(reply.getString("result"))) {
            notice(ctx, "The lists changed since that preview, so nothing was written. This is the new plan: apply it if it is right.");
            ctx.redirect("/preview/" + urlPart(runId));
          } else {
            JsonObject result = runResult(reply);
            notice(ctx, "Applied the plan of " + previewId + ": " + result.getString("result")
                + (result.getJsonArray("errors").isEmpty() ? "." : ", " + result.getJsonArray("errors").size() + " problems."));
            ctx.redirect("/history/" + urlPart(runId));
          }
        })
        .onFailure(err -> {
          notice(ctx, "Not applied: " + messageOf(err));
          ctx.redirect("/preview/" + urlPart(previewId));
        });
  }

  // ---- config editor -------------------------------------------------------------------------------------

  private void configRoutes(Router router) {
    router.get("/config").handler(this::showConfig);
    router.post("/config").handler(this::saveConfigFromPage);
    router.get("/api/config").handler(ctx -> request(Addresses.CONFIG_FILE_READ, new JsonObject())
        .onSuccess(reply -> json(ctx, 200, reply))
        .onFailure(err -> apiFailure(ctx, err)));
    router.put("/api/config").handler(this::saveConfigFromApi);
  }

  private void showConfig(RoutingContext ctx) {
    request(Addresses.CONFIG_FILE_READ, new JsonObject())
        .onSuccess(reply -> render(ctx, 200, "config", configPage(ctx, reply)))
        .onFailure(err -> pageFailure(ctx, err, "Config", "config"));
  }

  private JsonObject configPage(RoutingContext ctx, JsonObject file) {
    return page(ctx, "Config", "config")
        .put("file", file.getString("file", "config.yaml"))
        .put("yaml", file.getString("yaml", ""))
        .put("diskProblems", file.getJsonArray("problems", new JsonArray()));
  }

  private void saveConfigFromPage(RoutingContext ctx) {
    String yaml = ctx.request().getFormAttribute("yaml");
    if (yaml == null) {
      notice(ctx, "Not saved: the form held no config text.");
      ctx.redirect("/config");
      return;
    }
    Session session = ctx.session();
    JsonObject pending = session.get(CONFIG_PENDING_KEY) instanceof JsonObject p ? p : new JsonObject();
    JsonObject save = new JsonObject().put("yaml", yaml).put("pending", pending)
        .put("confirmUrlChanges", "true".equals(ctx.request().getFormAttribute("confirmUrlChanges")));
    request(Addresses.CONFIG_FILE_SAVE, save)
        .onSuccess(reply -> {
          if (reply.getBoolean("saved", false)) {
            session.remove(CONFIG_PENDING_KEY);
            notice(ctx, "Saved and in force. The previous version is kept as " + reply.getString("backup") + ".");
            ctx.redirect("/config");
            return;
          }
          session.put(CONFIG_PENDING_KEY, reply.getJsonObject("pending", new JsonObject()));
          request(Addresses.CONFIG_FILE_READ, new JsonObject())
              .recover(err -> Future.succeededFuture(new JsonObject()))
              .onSuccess(file -> render(ctx, reply.getBoolean("needsConfirmation", false) ? 409 : 422, "config",
                  configPage(ctx, file)
                      .put("yaml", reply.getString("yaml", ""))
                      .put("saveProblems", reply.getJsonArray("problems"))
                      .put("saveProblemCount", reply.getJsonArray("problems", new JsonArray()).size())
                      .put("urlChanges", reply.getJsonArray("urlChanges"))));
        })
        .onFailure(err -> {
          notice(ctx, "Not saved: " + messageOf(err));
          ctx.redirect("/config");
        });
  }

  /** PUT /api/config {yaml, confirmUrlChanges?}: 200 saved, 422 with the problems, 409 with URL changes to confirm. */
  private void saveConfigFromApi(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    if (body == null || !(body.getValue("yaml") instanceof String yaml)) {
      json(ctx, 400, error("expected {yaml: the whole config file as text, confirmUrlChanges?: true}"));
      return;
    }
    JsonObject save = new JsonObject().put("yaml", yaml).put("confirmUrlChanges", Boolean.TRUE.equals(body.getValue("confirmUrlChanges")));
    request(Addresses.CONFIG_FILE_SAVE, save)
        .onSuccess(reply -> {
          // typed secrets are never echoed; a script sends them again with its next try
          reply.remove("pending");
          int status = reply.getBoolean("saved", false) ? 200 : reply.getBoolean("needsConfirmation", false) ? 409 : 422;
          json(ctx, status, reply);
        })
        .onFailure(err -> apiFailure(ctx, err));
  }

  // ---- mappings ------------------------------------------------------------------------------------------

  private void mappingRoutes(Router router) {
    router.get("/mappings").handler(this::showMappings);
    router.post("/mappings").handler(this::setMappingFromPage);
    router.get("/api/unmapped").handler(ctx -> request(Addresses.SYNC_UNMAPPED, new JsonObject())
        .onSuccess(reply -> json(ctx, 200, mappingsModel(reply)))
        .onFailure(err -> apiFailure(ctx, err)));
    router.post("/api/mappings").handler(this::setMappingFromApi);
  }

  private void showMappings(RoutingContext ctx) {
    request(Addresses.SYNC_UNMAPPED, new JsonObject())
        .onSuccess(reply -> render(ctx, 200, "mappings", page(ctx, "Mappings", "mappings").mergeIn(mappingsModel(reply))))
        .onFailure(err -> pageFailure(ctx, err, "Mappings", "mappings"));
  }

  private static JsonObject mappingsModel(JsonObject reply) {
    JsonArray unmapped = new JsonArray();
    for (Object o : reply.getJsonArray("unmapped", new JsonArray())) {
      if (o instanceof JsonObject u) {
        unmapped.add(new JsonObject()
            .put("type", u.getString("type"))
            .put("side", u.getString("side"))
            .put("id", u.getValue("id"))
            .put("title", u.getString("title"))
            .put("reason", u.getString("reason"))
            .put("firstSeen", u.getValue("firstSeen"))
            .put("lastTried", u.getValue("lastTried"))
            .put("malSide", "MAL".equalsIgnoreCase(u.getString("side"))));
      }
    }
    JsonArray conflicts = new JsonArray();
    for (Object o : reply.getJsonArray("conflicts", new JsonArray())) {
      if (o instanceof JsonObject c) {
        conflicts.add(new JsonObject()
            .put("runId", c.getString("runId"))
            .put("type", c.getString("type"))
            .put("malId", c.getValue("malId"))
            .put("title", c.getString("title"))
            .put("unit", c.getString("unit"))
            .put("anilistValue", text(c.getValue("anilistValue")))
            .put("malValue", text(c.getValue("malValue")))
            .put("winner", c.getString("winner"))
            .put("reason", c.getString("reason"))
            .put("at", c.getValue("at")));
      }
    }
    return new JsonObject().put("unmapped", unmapped).put("noUnmapped", unmapped.isEmpty())
        .put("conflicts", conflicts).put("noConflicts", conflicts.isEmpty());
  }

  /** The mapping request from form or JSON fields, or null when they do not make one. */
  private static JsonObject mappingRequest(String action, String type, String malId, String aniListId) {
    if (action == null || !Set.of("pin", "ignore", "remove").contains(action)) {
      return null;
    }
    JsonObject body = new JsonObject().put("action", action);
    try {
      body.put("type", MediaType.parse(type).name());
      body.put("malId", Integer.parseInt(malId.trim()));
      if ("pin".equals(action)) {
        body.put("aniListId", Integer.parseInt(aniListId.trim()));
      }
    } catch (RuntimeException e) {
      return null;
    }
    return body;
  }

  private void setMappingFromPage(RoutingContext ctx) {
    var form = ctx.request();
    JsonObject body = mappingRequest(form.getFormAttribute("action"), form.getFormAttribute("type"),
        form.getFormAttribute("malId"), form.getFormAttribute("aniListId"));
    if (body == null) {
      notice(ctx, "Not saved: choose pin (with an AniList id) or ignore, for a MAL id and a type.");
      ctx.redirect("/mappings");
      return;
    }
    request(Addresses.SYNC_MAPPING_SET, body)
        .onSuccess(reply -> {
          notice(ctx, describeMapping(body) + " Used from the next sync on.");
          ctx.redirect("/mappings");
        })
        .onFailure(err -> {
          notice(ctx, "Not saved: " + ServiceException.from(err).getMessage());
          ctx.redirect("/mappings");
        });
  }

  private static String describeMapping(JsonObject body) {
    String what = body.getString("type").toLowerCase() + " MAL " + body.getInteger("malId");
    return switch (body.getString("action")) {
      case "pin" -> "Pinned " + what + " to AniList " + body.getInteger("aniListId") + ".";
      case "ignore" -> "Ignoring " + what + ".";
      default -> "Removed the mapping of " + what + ".";
    };
  }

  private void setMappingFromApi(RoutingContext ctx) {
    JsonObject given;
    try {
      given = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      given = null;
    }
    JsonObject body = given == null ? null : mappingRequest(given.getString("action"),
        given.getValue("type") == null ? null : String.valueOf(given.getValue("type")),
        given.getValue("malId") == null ? null : String.valueOf(given.getValue("malId")),
        given.getValue("aniListId") == null ? null : String.valueOf(given.getValue("aniListId")));
    if (body == null) {
      json(ctx, 400, error("expected {action: pin|ignore|remove, type, malId, aniListId (for pin)}"));
      return;
    }
    request(Addresses.SYNC_MAPPING_SET, body)
        .onSuccess(reply -> json(ctx, 200, new JsonObject().put("ok", true)))
        .onFailure(err -> apiFailure(ctx, err));
  }

  // ---- accounts ------------------------------------------------------------------------------------------

  private static final Set<String> SERVICES = Set.of("anilist", "mal");

  private void accountRoutes(Router router) {
    router.get("/accounts").handler(this::showAccounts);
    router.post("/accounts/:service/connect").handler(this::connect);
    router.get("/api/accounts").handler(ctx -> request(Addresses.AUTH_STATUS, new JsonObject())
        .onSuccess(reply -> json(ctx, 200, new JsonObject().put("services", accounts(reply))))
        .onFailure(err -> apiFailure(ctx, err)));
  }

  private void showAccounts(RoutingContext ctx) {
    request(Addresses.AUTH_STATUS, new JsonObject())
        .onSuccess(reply -> render(ctx, 200, "accounts", page(ctx, "Accounts", "accounts").put("services", accounts(reply))))
        .onFailure(err -> pageFailure(ctx, err, "Accounts", "accounts"));
  }

  /** Each service's sign-in state: plain fields only, never a token. */
  private static JsonArray accounts(JsonObject reply) {
    JsonArray out = new JsonArray();
    for (Object o : reply.getJsonArray("services", new JsonArray())) {
      if (o instanceof JsonObject s && SERVICES.contains(s.getString("service", ""))) {
        String state = s.getString("state", "unknown");
        Object daysLeft = s.getValue("daysLeft");
        String label = switch (state) {
          case "signedIn" -> "signed in";
          case "needsSignIn" -> "needs sign-in";
          case "expiring" -> "expiring in " + (daysLeft == null ? "a few" : daysLeft) + " days";
          default -> state;
        };
        out.add(new JsonObject()
            .put("service", s.getString("service"))
            .put("name", "anilist".equals(s.getString("service")) ? "AniList" : "MyAnimeList")
            .put("state", state)
            .put("label", label)
            .put("ok", "signedIn".equals(state))
            .put("expiresAt", s.getValue("expiresAt") == null ? null : String.valueOf(s.getValue("expiresAt")))
            .put("daysLeft", daysLeft));
      }
    }
    return out;
  }

  private void connect(RoutingContext ctx) {
    String service = ctx.pathParam("service");
    if (!SERVICES.contains(service)) {
      notice(ctx, "Unknown service.");
      ctx.redirect("/accounts");
      return;
    }
    request(Addresses.AUTH_SIGNIN_START, new JsonObject().put("service", service))
        .onSuccess(reply -> {
          String url = reply.getString("authorizeUrl");
          if (url == null || !(url.startsWith("https://") || url.startsWith("http://"))) {
            notice(ctx, "The token service gave no sign-in address.");
            ctx.redirect("/accounts");
          } else {
            ctx.response().setStatusCode(303).putHeader("Location", url).end();
          }
        })
        .onFailure(err -> {
          notice(ctx, "Could not start the sign-in: " + ServiceException.from(err).getMessage());
          ctx.redirect("/accounts");
        });
  }

  // ---- failures and notices ------------------------------------------------------------------------------

  private static int statusOf(ServiceException e) {
    return switch (e.kind()) {
      case NOT_FOUND -> 404;
      case INVALID -> 400;
      default -> 503;
    };
  }

  private static String messageOf(Throwable err) {
    if (coordinatorAbsent(err)) {
      return "the service that answers this is not running";
    }
    String message = ServiceException.from(err).getMessage();
    return message == null ? "unavailable" : message;
  }

  private static void apiFailure(RoutingContext ctx, Throwable err) {
    json(ctx, coordinatorAbsent(err) ? 503 : statusOf(ServiceException.from(err)), error(messageOf(err)));
  }

  private void pageFailure(RoutingContext ctx, Throwable err, String title, String active) {
    int status = coordinatorAbsent(err) ? 503 : statusOf(ServiceException.from(err));
    render(ctx, status, "problem", page(ctx, title, active).put("heading", title).put("problem", messageOf(err)));
  }

  /** A one-time message shown on the next page of this session (after a redirect). */
  private static void notice(RoutingContext ctx, String text) {
    Session session = ctx.session();
    if (session != null) {
      session.put(NOTICE_KEY, text);
    }
  }

  private static String urlPart(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  // ---- live events ---------------------------------------------------------------------------------------

  private Future<Void> relayBusEvents() {
    var bus = vertx.eventBus();
    List<Future<Void>> ready = new ArrayList<>();
    ready.add(bus.<JsonObject>consumer(Addresses.SYNC_PROGRESS, m -> relayBody("progress", m)).completion());
    // a dry run's plan can hold thousands of entries: browsers get the counts, the Preview page the plan
    ready.add(bus.<JsonObject>consumer(Addresses.SYNC_FINISHED, m -> relay.publish("finished", withoutPlans(m.body()).encode())).completion());
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
      Future<String> previous = passwordHash;
      passwordHash = vertx.executeBlocking(() -> preparePassword(passwordStore))
          .onSuccess(h -> LOG.info("dashboard password changed by a config reload"))
          .recover(err -> {
            LOG.error("could not store the new dashboard password hash: {}", err.toString());
            return previous;
          });
    }
  }

  private static JsonObject withoutPlans(JsonObject finished) {
    JsonObject copy = finished == null ? new JsonObject() : finished.copy();
    if (copy.getValue("types") instanceof JsonObject types) {
      types.forEach(e -> {
        if (e.getValue() instanceof JsonObject counts) counts.remove("plan");
      });
    }
    return copy;
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
    PINGS.forEach((name, address) -> pings.put(name, request(address, new JsonObject())
        .map(r -> true).recover(err -> Future.succeededFuture(false))));
    Future<JsonObject> auth = request(Addresses.AUTH_STATUS, new JsonObject())
        .recover(err -> Future.succeededFuture(null));
    Future<JsonObject> sync = request(Addresses.SYNC_STATUS, new JsonObject())
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

  private Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus()
        .<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(tuning.busTimeoutMs()))
        .map(Message::body);
  }

  private static boolean coordinatorAbsent(Throwable err) {
    return err instanceof ReplyException re
        && (re.failureType() == ReplyFailure.NO_HANDLERS || re.failureType() == ReplyFailure.TIMEOUT);
  }

  /** The common view model of a page behind the login: title, nav, CSRF token, demo flag. */
  private JsonObject page(RoutingContext ctx, String title, String active) {
    JsonArray nav = new JsonArray();
    String[][] items = {
      {"dashboard", "Dashboard", "/"}, {"history", "History", "/history"}, {"preview", "Preview", "/preview"},
      {"mappings", "Mappings", "/mappings"}, {"accounts", "Accounts", "/accounts"}, {"config", "Config", "/config"}
    };
    for (String[] item : items) {
      nav.add(new JsonObject().put("label", item[1]).put("href", item[2]).put("active", item[0].equals(active)));
    }
    String notice = ctx.session() == null ? null : ctx.session().remove(NOTICE_KEY);
    return new JsonObject()
        .put("title", title)
        .put("notice", notice)
        .put("nav", nav)
        .put("loggedIn", true)
        .put("csrfToken", csrfToken(ctx.session()))
        .put("demo", config.demo());
  }

  private void render(RoutingContext ctx, int status, String template, JsonObject model) {
    ctx.put("model", model);
    engine.render(model, "templates/" + template + ".hbs")
        .onSuccess(html -> ctx.response().setStatusCode(status)
            .putHeader("Content-Type", "text/html; charset=utf-8")
            .putHeader("Cache-Control", "no-store")
            .end(html))
        .onFailure(ctx::fail);
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }

  private static JsonObject error(String message) {
    return new JsonObject().put("error", message);
  }

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
}
