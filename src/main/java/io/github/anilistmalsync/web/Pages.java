package io.github.anilistmalsync.web;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.templ.handlebars.HandlebarsTemplateEngine;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * What every group of pages needs: the bus, the templates, the config in force, the common page model (nav, CSRF
 * token, one-time notice) and one way to answer a failure, as a page or as JSON naming what went wrong.
 */
final class Pages {
  private static final String NOTICE_KEY = "notice";

  private final Vertx vertx;
  private final HandlebarsTemplateEngine engine;
  private final WebTuning tuning;
  private final Supplier<AppConfig> config;

  Pages(Vertx vertx, HandlebarsTemplateEngine engine, WebTuning tuning, Supplier<AppConfig> config) {
    this.vertx = vertx;
    this.engine = engine;
    this.tuning = tuning;
    this.config = config;
  }

  /** The config in force (a reload replaces it). */
  AppConfig config() {
    return config.get();
  }

  long busTimeoutMs() {
    return tuning.busTimeoutMs();
  }


  static int statusOf(ServiceException e) {
    return switch (e.kind()) {
      case NOT_FOUND -> 404;
      case INVALID -> 400;
      default -> 503;
    };
  }

  static String messageOf(Throwable err) {
    if (coordinatorAbsent(err)) {
      return "the service that answers this is not running";
    }
    String message = ServiceException.from(err).getMessage();
    return message == null ? "unavailable" : message;
  }

  static void apiFailure(RoutingContext ctx, Throwable err) {
    json(ctx, coordinatorAbsent(err) ? 503 : statusOf(ServiceException.from(err)), error(messageOf(err)));
  }

  void pageFailure(RoutingContext ctx, Throwable err, String title, String active) {
    int status = coordinatorAbsent(err) ? 503 : statusOf(ServiceException.from(err));
    render(ctx, status, "problem", page(ctx, title, active).put("heading", title).put("problem", messageOf(err)));
  }

  /** Where a notice's kind waits beside it: ok (the default), warn or failed; the page shows it as a notice, a warning or a problem. */
  private static final String NOTICE_KIND_KEY = "noticeKind";

  /** A one-time message shown on the next page of this session (after a redirect). */
  static void notice(RoutingContext ctx, String text) {
    notice(ctx, "ok", text);
  }

  /** A one-time message of a kind — ok, warn or failed — so a failure is not shown as a success. */
  static void notice(RoutingContext ctx, String kind, String text) {
    Session session = ctx.session();
    if (session != null) {
      session.put(NOTICE_KEY, text);
      session.put(NOTICE_KIND_KEY, kind);
    }
  }

  static String urlPart(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }


  /** Asks a verticle over the bus, within the usual time for a page. */
  Future<JsonObject> request(String address, JsonObject body) {
    return request(address, body, tuning.busTimeoutMs());
  }

  /** Asks a verticle over the bus, for work that may take longer (a dry run, an undo). */
  Future<JsonObject> request(String address, JsonObject body, long timeoutMs) {
    return vertx.eventBus()
        .<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(timeoutMs))
        .map(Message::body);
  }

  static boolean coordinatorAbsent(Throwable err) {
    return err instanceof ReplyException re
        && (re.failureType() == ReplyFailure.NO_HANDLERS || re.failureType() == ReplyFailure.TIMEOUT);
  }

  /** The common view model of a page behind the login: title, nav, CSRF token, demo flag. */
  JsonObject page(RoutingContext ctx, String title, String active) {
    JsonArray nav = new JsonArray();
    String[][] items = {
      {"dashboard", "Dashboard", "/"}, {"library", "Library", "/library"}, {"history", "History", "/history"}, {"preview", "Preview", "/preview"},
      {"mappings", "Mappings", "/mappings"}, {"accounts", "Accounts", "/accounts"}, {"config", "Config", "/config"}
    };
    for (String[] item : items) {
      nav.add(new JsonObject().put("label", item[1]).put("href", item[2]).put("active", item[0].equals(active)));
    }
    String notice = ctx.session() == null ? null : ctx.session().remove(NOTICE_KEY);
    String noticeKind = ctx.session() == null ? null : ctx.session().remove(NOTICE_KIND_KEY);
    return new JsonObject()
        .put("title", title)
        .put("notice", notice)
        .put("noticeClass", "warn".equals(noticeKind) ? "warning" : "failed".equals(noticeKind) ? "problem" : "notice")
        .put("nav", nav)
        .put("loggedIn", true)
        .put("csrfToken", AccessGate.csrfToken(ctx.session()))
        .put("demo", config().demo());
  }

  /** Renders a page; one behind the login gets the status line at its top first (see {@link SyncHealthLine}). */
  void render(RoutingContext ctx, int status, String template, JsonObject model) {
    ctx.put("model", model);
    statusLine(model)
        .compose(line -> engine.render(line == null ? model : model.put("statusLine", line), "templates/" + template + ".hbs"))
        .onSuccess(html -> ctx.response().setStatusCode(status)
            .putHeader("Content-Type", "text/html; charset=utf-8")
            .putHeader("Cache-Control", "no-store")
            .end(html))
        .onFailure(ctx::fail);
  }

  /** The status line for a page behind the login, from what /api/status gathers; null for the login page. */
  private Future<JsonObject> statusLine(JsonObject model) {
    if (!Boolean.TRUE.equals(model.getBoolean("loggedIn")) || model.containsKey("statusLine")) {
      return Future.succeededFuture(null);
    }
    Future<JsonObject> status = request(Addresses.SYNC_STATUS, new JsonObject()).otherwise((JsonObject) null);
    Future<JsonObject> auth = request(Addresses.AUTH_STATUS, new JsonObject()).otherwise((JsonObject) null);
    return Future.join(status, auth).transform(done -> Future.succeededFuture(SyncHealthLine.of(status.result(),
        auth.result() == null ? null : AccountPages.accounts(auth.result()), java.time.Instant.now())));
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }

  static JsonObject error(String message) {
    return new JsonObject().put("error", message);
  }

  /** A value as a page shows it: a dash for nothing. */
  static String text(Object value) {
    return value == null ? "—" : String.valueOf(value);
  }
}
