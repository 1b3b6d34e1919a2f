package io.github.anilistmalsync.web;

import static io.github.anilistmalsync.web.Pages.apiFailure;
import static io.github.anilistmalsync.web.Pages.json;
import static io.github.anilistmalsync.web.Pages.urlPart;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sync.CoreJson;
import io.github.anilistmalsync.sync.core.Convert;
import io.github.anilistmalsync.sync.core.LibraryRows;
import io.github.anilistmalsync.sync.core.NeutralState;
import io.github.anilistmalsync.sync.core.Side;
import io.github.anilistmalsync.sync.core.Unit;
import io.github.anilistmalsync.words.ChangeWords;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Library: every entry of both lists, one row per pair or one-sided entry, both sides' values side by side and
 * the state the last sync left it in; filtered by state and type, searched by title, 50 a page, all from the state
 * store. Pin, ignore and remove go through the Mappings form and come back here. Also the pins and ignores as JSON.
 */
final class LibraryPages {
  /** The state filters in the order the page offers them, with their labels. */
  private static final Map<String, String> STATES = new LinkedHashMap<>();

  static {
    STATES.put("needs_you", "Needs you");
    STATES.put("in_sync", "In sync");
    STATES.put("differs", "Differs");
    STATES.put("one_side", "Only on one side");
    STATES.put("unmapped", "Unmapped");
    STATES.put("held_apart", "Held apart");
    STATES.put("refused", "Refused");
    STATES.put("private", "Private");
    STATES.put("pinned", "Pinned");
    STATES.put("ignored", "Ignored");
  }

  private final Pages pages;

  LibraryPages(Pages pages) {
    this.pages = pages;
  }

  /** Adds the Library page, its JSON and the pins-and-ignores JSON to the router. */
  void register(Router router) {
    router.get("/library").handler(this::showLibrary);
    router.get("/api/library").handler(ctx -> pages.request(Addresses.SYNC_LIBRARY, query(ctx))
        .onSuccess(reply -> json(ctx, 200, reply))
        .onFailure(err -> apiFailure(ctx, err)));
    router.get("/api/mappings").handler(ctx -> pages.request(Addresses.SYNC_MAPPINGS, new JsonObject())
        .onSuccess(reply -> json(ctx, 200, reply))
        .onFailure(err -> apiFailure(ctx, err)));
  }

  /** The filters of a request: type, state, q (title search), run, page; unknown values are the bus's to refuse. */
  private static JsonObject query(RoutingContext ctx) {
    JsonObject q = new JsonObject();
    for (String name : new String[] {"type", "state", "q", "run"}) {
      String value = ctx.request().getParam(name);
      if (value != null && !value.isBlank()) q.put(name.equals("q") ? "search" : name.equals("run") ? "runId" : name, value.trim());
    }
    try {
      String page = ctx.request().getParam("page");
      if (page != null) q.put("page", Math.max(1, Integer.parseInt(page.trim())));
    } catch (NumberFormatException e) {
      // the first page
    }
    return q;
  }

  private void showLibrary(RoutingContext ctx) {
    JsonObject q = query(ctx);
    Future<JsonObject> library = pages.request(Addresses.SYNC_LIBRARY, q);
    Future<JsonObject> mappings = pages.request(Addresses.SYNC_MAPPINGS, new JsonObject());
    Future.all(library, mappings)
        .onSuccess(v -> pages.render(ctx, 200, "library", pages.page(ctx, "Library", "library")
            .mergeIn(model(q, library.result(), mappings.result()))))
        .onFailure(err -> pages.pageFailure(ctx, err, "Library", "library"));
  }

  private static JsonObject model(JsonObject q, JsonObject reply, JsonObject mappings) {
    // AniList's scores on its 100-point scale: the Library's rows come from several runs, not one run's score format
    ChangeWords words = new ChangeWords(Instant.now(), null);
    String back = "/library" + queryString(q, q.getInteger("page", 1));
    JsonArray rows = new JsonArray();
    for (Object o : reply.getJsonArray("rows", new JsonArray())) {
      if (o instanceof JsonObject r) rows.add(rowModel(words, r, back));
    }
    JsonObject counts = reply.getJsonObject("counts", new JsonObject()).copy();
    counts.put("needs_you", counts.getInteger("unmapped", 0) + counts.getInteger("held_apart", 0));
    String state = q.getString("state");
    JsonArray states = new JsonArray().add(new JsonObject().put("value", "").put("label", "Every state").put("selected", state == null));
    JsonArray stateLinks = new JsonArray();
    STATES.forEach((value, label) -> {
      int n = counts.getInteger(value, 0);
      states.add(new JsonObject().put("value", value).put("label", label + " (" + n + ")").put("selected", value.equals(state)));
      JsonObject only = q.copy().put("state", value);
      only.remove("page");
      stateLinks.add(new JsonObject().put("label", label).put("count", n).put("href", "/library" + queryString(only, 1))
          .put("current", value.equals(state)));
    });
    String type = q.getString("type") == null ? "" : q.getString("type").toUpperCase(Locale.ROOT);
    JsonArray types = new JsonArray();
    for (String[] t : new String[][] {{"", "Anime and manga"}, {"ANIME", "Anime"}, {"MANGA", "Manga"}}) {
      types.add(new JsonObject().put("value", t[0]).put("label", t[1]).put("selected", t[0].equals(type)));
    }
    int total = reply.getInteger("total", 0);
    int page = reply.getInteger("page", 1);
    int size = reply.getInteger("pageSize", 50);
    int pagesCount = Math.max(1, (total + size - 1) / size);
    JsonObject paging = new JsonObject().put("page", page).put("pages", pagesCount)
        .put("from", total == 0 ? 0 : (page - 1) * size + 1).put("to", Math.min(total, page * size)).put("total", total);
    if (page > 1) paging.put("previous", "/library" + queryString(q, page - 1));
    if (page < pagesCount) paging.put("next", "/library" + queryString(q, page + 1));
    JsonArray pins = new JsonArray();
    for (Object o : mappings.getJsonArray("mappings", new JsonArray())) {
      if (o instanceof JsonObject m) {
        String t = m.getString("type");
        Integer ani = m.getInteger("aniListId");
        pins.add(m.copy().put("pinned", "pinned".equals(m.getString("source"))).put("typeWord", t.toLowerCase(Locale.ROOT))
            .put("title", m.getString("title") == null ? "—" : m.getString("title"))
            .put("malUrl", "https://myanimelist.net/" + t.toLowerCase(Locale.ROOT) + "/" + m.getInteger("malId"))
            .put("aniListUrl", ani == null ? null : "https://anilist.co/" + t.toLowerCase(Locale.ROOT) + "/" + ani).put("back", back)
            .put("since", PageTime.exact(m.getString("updatedAt"))));
      }
    }
    return new JsonObject().put("rows", rows).put("empty", rows.isEmpty()).put("states", states).put("stateLinks", stateLinks)
        .put("types", types).put("search", q.getString("search", "")).put("runId", q.getString("runId"))
        .put("paging", paging).put("pins", pins).put("noPins", pins.isEmpty()).put("back", back)
        .put("filtered", q.containsKey("state") || q.containsKey("type") || q.containsKey("search") || q.containsKey("runId"));
  }

  /** "?type=ANIME&state=in_sync&q=…&page=2" for these filters (page 1 left out). */
  private static String queryString(JsonObject q, int page) {
    List<String> parts = new ArrayList<>();
    if (q.getString("type") != null) parts.add("type=" + urlPart(q.getString("type")));
    if (q.getString("state") != null) parts.add("state=" + urlPart(q.getString("state")));
    if (q.getString("search") != null) parts.add("q=" + urlPart(q.getString("search")));
    if (q.getString("runId") != null) parts.add("run=" + urlPart(q.getString("runId")));
    if (page > 1) parts.add("page=" + page);
    return parts.isEmpty() ? "" : "?" + String.join("&", parts);
  }

  private static JsonObject rowModel(ChangeWords words, JsonObject r, String back) {
    String type = r.getString("type");
    MediaType media = MediaType.parse(type);
    String word = type.toLowerCase(Locale.ROOT);
    int malId = r.getInteger("malId", 0);
    int aniListId = r.getInteger("aniListId", 0);
    JsonObject ani = r.getJsonObject("aniList");
    JsonObject mal = r.getJsonObject("mal");
    String state = r.getString("state");
    String mapping = r.getString("mapping");
    Integer total = r.getInteger("total");
    String label = switch (state) {
      case "one_side" -> ani != null ? "Only on AniList" : "Only on MyAnimeList";
      default -> STATES.getOrDefault(state, state);
    };
    return new JsonObject()
        .put("type", type).put("typeWord", word).put("title", r.getString("title")).put("malId", malId).put("aniListId", aniListId)
        .put("aniListUrl", aniListId == 0 ? null : "https://anilist.co/" + word + "/" + aniListId)
        .put("malUrl", malId == 0 ? null : "https://myanimelist.net/" + word + "/" + malId)
        .put("state", state).put("stateLabel", label)
        .put("aniListSide", side(words, ani, media, total, Side.ANILIST)).put("malSide", side(words, mal, media, total, Side.MAL))
        .put("differences", differences(words, r, media)).put("next", r.getString("next"))
        .put("note", r.getString("note")).put("private", Boolean.TRUE.equals(r.getBoolean("private")))
        .put("pinned", "pinned".equals(mapping)).put("ignored", "ignored".equals(mapping)).put("pinnedTo", r.getInteger("pinnedTo"))
        .put("removable", mapping != null)
        .put("pinMal", mapping == null && "unmapped".equals(state) && malId != 0)
        .put("pinAniList", mapping == null && "unmapped".equals(state) && malId == 0 && aniListId != 0)
        // a pair no sync changes on its own (held apart, or a refused value held back) is settled on the Mappings page
        .put("settle", "held_apart".equals(state) || (r.getString("next") != null && r.getString("next").contains("Mappings page")))
        .put("back", back);
  }

  /** One side's values in words, as ChangeWords says them (status, progress of the total, score, dates); null when the side has no entry. */
  private static JsonObject side(ChangeWords words, JsonObject s, MediaType type, Integer total, Side side) {
    if (s == null) return null;
    NeutralState state = CoreJson.neutral(s);
    String progress = words.value(Unit.PROGRESS, side, type, state.progress());
    String score = words.value(Unit.SCORE, side, type, Convert.valueOn(side, type, Unit.SCORE, state));
    return new JsonObject()
        .put("status", words.value(Unit.STATUS, side, type, Convert.valueOn(side, type, Unit.STATUS, state)))
        .put("progress", total == null ? progress : state.progress() + " / " + words.value(Unit.PROGRESS, side, type, total))
        .put("score", "—".equals(score) ? "no score" : "score " + score + " (" + words.scale(side) + ")")
        .put("started", words.value(Unit.START, side, type, state.started()))
        .put("finished", words.value(Unit.FINISH, side, type, state.finished()));
  }

  /** The row's differing fields with both values in words, from its two states; a line of no known field as stored. */
  private static JsonArray differences(ChangeWords words, JsonObject r, MediaType type) {
    JsonArray out = new JsonArray();
    JsonObject ani = r.getJsonObject("aniList");
    JsonObject mal = r.getJsonObject("mal");
    for (Object o : r.getJsonArray("differences", new JsonArray())) {
      String line = String.valueOf(o);
      Unit unit = LibraryRows.unitOf(line);
      out.add(unit == null || ani == null || mal == null ? line
          : words.difference(unit, type, CoreJson.neutral(ani), CoreJson.neutral(mal)));
    }
    return out;
  }
}
