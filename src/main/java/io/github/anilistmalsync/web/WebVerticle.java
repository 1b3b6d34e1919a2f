package io.github.anilistmalsync.web;

import static io.github.anilistmalsync.web.Pages.error;
import static io.github.anilistmalsync.web.Pages.json;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.config.ConfigInForce;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.sstore.LocalSessionStore;
import io.vertx.ext.web.templ.handlebars.HandlebarsTemplateEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web UI verticle: starts the server and wires the router, each group of routes in its own class — the access
 * gate, login, the dashboard, the event stream, health, and the pages with their JSON API.
 */
public class WebVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(WebVerticle.class);

  /** Where the static assets are in the jar. */
  static final String STATIC_ROOT = "webroot";

  private final WebTuning tuning;
  private ConfigInForce config;
  private Pages pages;
  private LocalSessionStore sessions;
  private AccessGate gate;
  private LoginPages login;
  private EventStream events;
  private ConfigProblems configProblems;
  private DashboardPages dashboard;
  private HealthRoutes health;
  private HttpServer server;
  private Router routes;

  public WebVerticle() {
    this(WebTuning.defaults());
  }

  public WebVerticle(WebTuning tuning) {
    this.tuning = tuning;
  }

  /** The port the server listens on (useful when configured as 0); -1 before start. */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  /** How many event streams are open right now. */
  public int openStreams() {
    return events == null ? 0 : events.openStreams();
  }

  @Override
  public Future<?> start() {
    config = new ConfigInForce(config());
    pages = new Pages(vertx, HandlebarsTemplateEngine.create(vertx), tuning, config);
    sessions = LocalSessionStore.create(vertx);
    gate = new AccessGate(config, tuning, sessions);
    login = new LoginPages(vertx, pages, gate, sessions, tuning);
    EventRelay relay = new EventRelay(tuning.replayEvents(), System.currentTimeMillis());
    events = new EventStream(vertx, tuning, relay);
    configProblems = new ConfigProblems();
    dashboard = new DashboardPages(pages, relay, configProblems);
    health = new HealthRoutes(pages, configProblems);
    var bus = vertx.eventBus();
    return bus
        .<JsonObject>consumer(Addresses.WEB_PING, msg -> msg.reply(new JsonObject().put("verticle", "web")))
        .completion()
        .compose(v -> configProblems.listen(bus))
        // a reload is in force (and a changed password hashing) before browsers hear of it
        .compose(v -> config.follow(bus, login::configChanged))
        .compose(v -> events.listen())
        .compose(v -> login.start())
        .compose(v -> {
          routes = router();
          // idle connections (a stalled or abandoned client) are closed; event streams stay open on their heartbeat
          return vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions()
                  .setIdleTimeout((int) tuning.idleTimeoutMs())
                  .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS))
              .requestHandler(routes)
              .listen(config.get().integer("web.port"), config.get().string("web.host"));
        })
        .onSuccess(s -> {
          server = s;
          LOG.info("web UI listening on {}:{}", config.get().string("web.host"), s.actualPort());
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

  /** How many sessions the server keeps right now (a test checks that anonymous visits add none). */
  Future<Integer> storedSessions() {
    return sessions.size();
  }

  // ---- routes --------------------------------------------------------------------------------------------

  private Router router() {
    Router router = Router.router(vertx);
    gate.register(router);
    health.register(router);
    login.register(router);
    dashboard.register(router);

    // history, preview, config, mappings, accounts: pages and their JSON API
    new RunPages(pages).register(router);
    new ConfigPages(pages).register(router);
    new MappingPages(pages).register(router);
    new AccountPages(pages).register(router);
    new SignInRoutes(pages).register(router);
    new SetupPages(pages).register(router);
    new LibraryPages(pages).register(router);

    events.register(router);

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
      data = Files.exists(disk) && Files.exists(config.get().dataDir())
          && disk.toRealPath().startsWith(config.get().dataDir().toRealPath());
    } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
      data = true;
    }
    if (data) {
      ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8").end("Not Found");
    } else {
      ctx.next();
    }
  }
}
