package io.github.anilistmalsync.web;

import static io.github.anilistmalsync.web.Pages.json;

import io.github.anilistmalsync.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Liveness ({@code /health/live}: the process answers) and readiness ({@code /health}: every verticle answers, the
 * config is valid and both services are signed in), open to probes without a login.
 */
final class HealthRoutes {
  /** Liveness pings of the other verticles, by the name /health reports them under. */
  private static final Map<String, String> PINGS = pings();

  private final Pages pages;
  private final ConfigProblems fileProblems;

  HealthRoutes(Pages pages, ConfigProblems fileProblems) {
    this.pages = pages;
    this.fileProblems = fileProblems;
  }

  void register(Router router) {
    router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health").handler(this::showHealth);
  }

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
      JsonArray configProblems = fileProblems.list();
      boolean configValid = configProblems.isEmpty();
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

  private static Map<String, String> pings() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("anilist", Addresses.ANILIST_PING);
    m.put("mal", Addresses.MAL_PING);
    m.put("sync", Addresses.SYNC_PING);
    m.put("auth", Addresses.AUTH_PING);
    return m;
  }
}
