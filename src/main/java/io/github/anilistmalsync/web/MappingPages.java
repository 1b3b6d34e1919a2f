package io.github.anilistmalsync.web;

import static io.github.anilistmalsync.web.Pages.apiFailure;
import static io.github.anilistmalsync.web.Pages.error;
import static io.github.anilistmalsync.web.Pages.json;
import static io.github.anilistmalsync.web.Pages.notice;
import static io.github.anilistmalsync.web.Pages.text;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sync.core.LibraryRows;
import io.github.anilistmalsync.sync.core.Side;
import io.github.anilistmalsync.sync.core.Unit;
import io.github.anilistmalsync.words.ChangeWords;
import io.github.anilistmalsync.words.RunWords;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Mappings: entries that could not be paired (pin or ignore them), pairs held apart (settle them: keep AniList's or
 * MyAnimeList's values) and recent conflicts.
 */
final class MappingPages {
  private final Pages pages;

  MappingPages(Pages pages) {
    this.pages = pages;
  }

  /** Adds these pages and their JSON API to the router. */
  void register(Router router) {
    router.get("/mappings").handler(this::showMappings);
    router.post("/mappings").handler(this::setMappingFromPage);
    router.get("/api/unmapped").handler(ctx -> pages.request(Addresses.SYNC_UNMAPPED, new JsonObject())
        .onSuccess(reply -> json(ctx, 200, mappingsModel(reply)))
        .onFailure(err -> apiFailure(ctx, err)));
    router.post("/api/mappings").handler(this::setMappingFromApi);
    router.post("/mappings/settle").handler(this::settleFromPage);
    router.post("/api/settle").handler(this::settleFromApi);
  }

  /** The settle request from form or JSON fields, or null when they do not make one. */
  private static JsonObject settleRequest(String type, String malId, String keep) {
    try {
      String side = keep == null ? "" : keep.trim().toUpperCase(java.util.Locale.ROOT);
      if (!Set.of("ANILIST", "MAL").contains(side)) return null;
      return new JsonObject().put("type", MediaType.parse(type).name()).put("malId", Integer.parseInt(malId.trim())).put("keep", side);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void settleFromPage(RoutingContext ctx) {
    var form = ctx.request();
    JsonObject body = settleRequest(form.getFormAttribute("type"), form.getFormAttribute("malId"), form.getFormAttribute("keep"));
    if (body == null) {
      notice(ctx, "Not settled: choose which side's values to keep.");
      ctx.redirect("/mappings");
      return;
    }
    sendFromPage(ctx, Addresses.SYNC_SETTLE, body, "Keeping " + ("MAL".equals(body.getString("keep")) ? "MyAnimeList's" : "AniList's")
        + " values: a sync of " + body.getString("type").toLowerCase(java.util.Locale.ROOT) + " is writing them to the other side now.",
        "Not settled: ");
  }

  private void settleFromApi(RoutingContext ctx) {
    JsonObject given = jsonBody(ctx);
    JsonObject body = given == null ? null : settleRequest(
        given.getValue("type") == null ? null : String.valueOf(given.getValue("type")),
        given.getValue("malId") == null ? null : String.valueOf(given.getValue("malId")), given.getString("keep"));
    if (body == null) {
      json(ctx, 400, error("expected {type, malId, keep: ANILIST|MAL}"));
      return;
    }
    pages.request(Addresses.SYNC_SETTLE, body)
        .onSuccess(reply -> json(ctx, 202, reply))
        .onFailure(err -> apiFailure(ctx, err));
  }

  private void showMappings(RoutingContext ctx) {
    pages.request(Addresses.SYNC_UNMAPPED, new JsonObject())
        .onSuccess(reply -> pages.render(ctx, 200, "mappings", pages.page(ctx, "Mappings", "mappings").mergeIn(mappingsModel(reply))))
        .onFailure(err -> pages.pageFailure(ctx, err, "Mappings", "mappings"));
  }

  private static JsonObject mappingsModel(JsonObject reply) {
    // the coordinator's answers are the store's records as JSON: the page adds only what it shows differently
    JsonArray unmapped = new JsonArray();
    for (Object o : reply.getJsonArray("unmapped", new JsonArray())) {
      if (o instanceof JsonObject u) {
        boolean malSide = "MAL".equalsIgnoreCase(u.getString("side"));
        unmapped.add(u.copy().put("malSide", malSide).put("sideLabel", malSide ? "MyAnimeList" : "AniList")
            .put("typeLabel", RunWords.typeLabel(u.getString("type"))));
      }
    }
    JsonArray conflicts = new JsonArray();
    for (Object o : reply.getJsonArray("conflicts", new JsonArray())) {
      if (o instanceof JsonObject c) {
        MediaType type = MediaType.parse(c.getString("type"));
        Unit unit = ChangeWords.unit(c.getString("unit"));
        String winner = c.getString("winner");
        conflicts.add(c.copy().put("typeLabel", RunWords.typeLabel(c.getString("type")))
            .put("unitLabel", unit == null ? "Entry" : ChangeWords.label(unit, type))
            .put("anilistValue", unit == null ? text(c.getValue("anilistValue")) : ChangeWords.described(unit, type, Side.ANILIST, text(c.getValue("anilistValue"))))
            .put("malValue", unit == null ? text(c.getValue("malValue")) : ChangeWords.described(unit, type, Side.MAL, text(c.getValue("malValue"))))
            .put("winnerLabel", winner == null ? "neither" : Side.valueOf(winner).label())
            .put("atTime", PageTime.minute(c.getString("at"))));
      }
    }
    JsonArray held = new JsonArray();
    for (Object o : reply.getJsonArray("heldApart", new JsonArray())) {
      if (o instanceof JsonObject h) {
        MediaType type = MediaType.parse(h.getString("type"));
        JsonArray differences = new JsonArray();
        for (Object d : h.getJsonArray("differences", new JsonArray())) {
          differences.add(ChangeWords.difference(String.valueOf(d), LibraryRows.unitOf(String.valueOf(d)), type));
        }
        held.add(h.copy().put("typeLabel", RunWords.typeLabel(h.getString("type"))).put("sinceTime", PageTime.exact(h.getString("since")))
            .put("differences", differences));
      }
    }
    return new JsonObject().put("unmapped", unmapped).put("noUnmapped", unmapped.isEmpty())
        .put("heldApart", held).put("noHeldApart", held.isEmpty())
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
      ctx.redirect(backTo(ctx));
      return;
    }
    sendFromPage(ctx, Addresses.SYNC_MAPPING_SET, body, describeMapping(body) + " Used from the next sync on.", "Not saved: ");
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
    JsonObject given = jsonBody(ctx);
    JsonObject body = given == null ? null : mappingRequest(given.getString("action"),
        given.getValue("type") == null ? null : String.valueOf(given.getValue("type")),
        given.getValue("malId") == null ? null : String.valueOf(given.getValue("malId")),
        given.getValue("aniListId") == null ? null : String.valueOf(given.getValue("aniListId")));
    if (body == null) {
      json(ctx, 400, error("expected {action: pin|ignore|remove, type, malId, aniListId (for pin)}"));
      return;
    }
    pages.request(Addresses.SYNC_MAPPING_SET, body)
        .onSuccess(reply -> json(ctx, 200, new JsonObject().put("ok", true)))
        .onFailure(err -> apiFailure(ctx, err));
  }

  /** The request's JSON object, or null when the body is not one. */
  private static JsonObject jsonBody(RoutingContext ctx) {
    try {
      return ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The page a form came from: the Library when it says so in {@code back} (a Library address only), else Mappings. */
  private static String backTo(RoutingContext ctx) {
    String back = ctx.request().getFormAttribute("back");
    return back != null && back.matches("/library([?#]\\S*)?") ? back : "/mappings";
  }

  /** A form's request to the coordinator: its outcome as a notice on the page the form came from ({@link #backTo}). */
  private void sendFromPage(RoutingContext ctx, String address, JsonObject body, String done, String failedPrefix) {
    String to = backTo(ctx);
    pages.request(address, body)
        .onSuccess(reply -> {
          notice(ctx, done);
          ctx.redirect(to);
        })
        .onFailure(err -> {
          notice(ctx, failedPrefix + ServiceException.from(err).getMessage());
          ctx.redirect(to);
        });
  }
}
