package io.github.anilistmalsync.web;

import static io.github.anilistmalsync.web.Pages.apiFailure;
import static io.github.anilistmalsync.web.Pages.error;
import static io.github.anilistmalsync.web.Pages.json;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.model.MediaType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard (each type's last and next run, the steps for a new user, live sync, the run in progress) and, for
 * scripts, what it shows ({@code /api/status}) and its Sync now ({@code /api/sync}).
 */
final class DashboardPages {
  private final Pages pages;
  private final EventRelay relay;
  private final ConfigProblems fileProblems;

  DashboardPages(Pages pages, EventRelay relay, ConfigProblems fileProblems) {
    this.pages = pages;
    this.relay = relay;
    this.fileProblems = fileProblems;
  }

  void register(Router router) {
    router.get("/").handler(this::showDashboard);
    router.get("/api/status").handler(this::status);
    router.post("/api/sync").handler(this::triggerSync);
  }

  private void showDashboard(RoutingContext ctx) {
    Future<JsonObject> status = pages.request(Addresses.SYNC_STATUS, new JsonObject()).recover(err -> Future.succeededFuture(null));
    Future<JsonObject> auth = pages.request(Addresses.AUTH_STATUS, new JsonObject()).recover(err -> Future.succeededFuture(null));
    Future<Boolean> setupUnfinished = SetupPages.unfinished(ctx.vertx(), pages.config());
    Future.join(status, auth, setupUnfinished).onComplete(done -> {
      JsonObject model = dashboardModel(ctx, status.result(), auth.result());
      guideNewUser(model, auth.result() == null ? new JsonArray() : AccountPages.accounts(auth.result()), Boolean.TRUE.equals(setupUnfinished.result()));
      pages.render(ctx, 200, "dashboard", model);
    });
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
          .put("configProblems", fileProblems.list())
          .put("statusLine", SyncHealthLine.of(status.result(), auth.result() == null ? null : AccountPages.accounts(auth.result()), java.time.Instant.now())));
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
    for (MediaType type : pages.config().types()) {
      types.add(TypeCard.of(reported.getOrDefault(type.name(), new JsonObject()), type.name()));
    }
    JsonObject totals = status == null ? null : status.getJsonObject("totals");
    JsonArray problems = new JsonArray();
    fileProblems.list().forEach(p -> problems.add(p instanceof JsonObject o
        ? o.getString("key", "config") + ": " + o.getString("message", "") : String.valueOf(p)));
    JsonObject model = pages.page(ctx, "Dashboard", "dashboard")
        .put("coordinatorRunning", status != null)
        .put("running", status == null ? null : status.getString("running"))
        .put("dryRun", status == null ? pages.config().dryRun() : status.getBoolean("dryRun", pages.config().dryRun()))
        .put("mode", pages.config().mode())
        .put("totals", totals)
        .put("services", auth == null ? new JsonArray() : AccountPages.accounts(auth))
        .put("configProblems", problems)
        .put("types", types)
        .put("live", liveModel(status == null ? null : status.getJsonObject("live"), java.time.Instant.now()));
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

  /**
   * Until both services are connected, the dashboard shows the steps to get there instead of a run that "needs
   * sign-in", and Sync now is disabled with the reason. While the browser setup's first sync waits for approval
   * ({@code setupUnfinished}: the setup holds {@code sync.dry_run} on until then), the steps stay, the last one
   * leading back to the setup's preview step. A token about to run out (AniList's lasts a year and cannot be
   * refreshed) keeps its Connect button on the dashboard.
   */
  private static void guideNewUser(JsonObject model, JsonArray services, boolean setupUnfinished) {
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
    steps.add(new JsonObject().put("text", setupUnfinished ? "Preview and approve the first sync" : "Preview the first sync")
        .put("href", setupUnfinished ? SetupPages.FIRST_SYNC_STEP : "/preview").put("done", false).put("preview", true).put("ready", allConnected));
    for (int i = 0; i < steps.size(); i++) steps.getJsonObject(i).put("number", i + 1);
    if (!allConnected || setupUnfinished) model.put("setupSteps", steps);
    if (!allConnected) model.put("syncBlocked", "Connect " + String.join(" and ", missing) + " first: a sync needs both accounts.");
    JsonArray expiring = new JsonArray();
    services.forEach(o -> {
      if ("expiring".equals(((JsonObject) o).getString("state"))) expiring.add(o);
    });
    model.put("expiring", expiring);
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
