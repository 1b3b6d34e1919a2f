package io.github.anilistmalsync.web;

import static io.github.anilistmalsync.web.Pages.apiFailure;
import static io.github.anilistmalsync.web.Pages.error;
import static io.github.anilistmalsync.web.Pages.json;
import static io.github.anilistmalsync.web.Pages.messageOf;
import static io.github.anilistmalsync.web.Pages.notice;
import static io.github.anilistmalsync.web.Pages.text;

import io.github.anilistmalsync.bus.Addresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;

/** The config editor: the file as text with secrets masked, saved through the service that owns the file. */
final class ConfigPages {
  /** Secrets typed into a config save that was refused: kept server-side for the next try, never sent back. */
  private static final String CONFIG_PENDING_KEY = "configPending";
  private final Pages pages;

  ConfigPages(Pages pages) {
    this.pages = pages;
  }

  /** Adds these pages and their JSON API to the router. */
  void register(Router router) {
    router.get("/config").handler(this::showConfig);
    router.post("/config").handler(this::saveConfigFromPage);
    router.get("/api/config").handler(ctx -> pages.request(Addresses.CONFIG_FILE_READ, new JsonObject())
        .onSuccess(reply -> json(ctx, 200, reply))
        .onFailure(err -> apiFailure(ctx, err)));
    router.put("/api/config").handler(this::saveConfigFromApi);
  }

  private void showConfig(RoutingContext ctx) {
    pages.request(Addresses.CONFIG_FILE_READ, new JsonObject())
        .onSuccess(reply -> pages.render(ctx, 200, "config", configPage(ctx, reply)))
        .onFailure(err -> pages.pageFailure(ctx, err, "Config", "config"));
  }

  /** The editor page for a config.file.read answer, or a refused save's (which carries the same file facts). */
  private JsonObject configPage(RoutingContext ctx, JsonObject file) {
    return pages.page(ctx, "Config", "config")
        .put("file", file.getString("file", "config.yaml"))
        .put("yaml", file.getString("yaml", ""))
        .put("diskProblems", file.getJsonArray("diskProblems", new JsonArray()));
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
    pages.request(Addresses.CONFIG_FILE_SAVE, save)
        .onSuccess(reply -> {
          if (reply.getBoolean("saved", false)) {
            session.remove(CONFIG_PENDING_KEY);
            notice(ctx, "Saved and in force. The previous version is kept as " + reply.getString("backup") + ".");
            ctx.redirect("/config");
            return;
          }
          session.put(CONFIG_PENDING_KEY, reply.getJsonObject("pending", new JsonObject()));
          pages.render(ctx, reply.getBoolean("needsConfirmation", false) ? 409 : 422, "config",
              configPage(ctx, reply)
                  .put("saveProblems", reply.getJsonArray("problems"))
                  .put("saveProblemCount", reply.getJsonArray("problems", new JsonArray()).size())
                  .put("urlChanges", reply.getJsonArray("urlChanges")));
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
    pages.request(Addresses.CONFIG_FILE_SAVE, save)
        .onSuccess(reply -> {
          // typed secrets are never echoed; a script sends them again with its next try
          reply.remove("pending");
          int status = reply.getBoolean("saved", false) ? 200 : reply.getBoolean("needsConfirmation", false) ? 409 : 422;
          json(ctx, status, reply);
        })
        .onFailure(err -> apiFailure(ctx, err));
  }
}
