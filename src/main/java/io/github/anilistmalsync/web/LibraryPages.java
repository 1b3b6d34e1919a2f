package io.github.anilistmalsync.web;

import static io.github.anilistmalsync.web.Pages.apiFailure;
import static io.github.anilistmalsync.web.Pages.json;
import static io.github.anilistmalsync.web.Pages.urlPart;

import io.github.anilistmalsync.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
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

  private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

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
    String back = "/library" + queryString(q, q.getInteger("page", 1));
    JsonArray rows = new JsonArray();
    for (Object o : reply.getJsonArray("rows", new JsonArray())) {
      if (o instanceof JsonObject r) rows.add(rowModel(r, back));
    }
    JsonObject counts = reply.getJsonObject("counts", new JsonObject());
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
            .put("aniListUrl", ani == null ? null : "https://anilist.co/" + t.toLowerCase(Locale.ROOT) + "/" + ani).put("back", back));
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

  private static JsonObject rowModel(JsonObject r, String back) {
    String type = r.getString("type");
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
        .put("aniListSide", side(ani, type, total, false)).put("malSide", side(mal, type, total, true))
        .put("differences", r.getJsonArray("differences", new JsonArray())).put("next", r.getString("next"))
        .put("note", r.getString("note")).put("private", Boolean.TRUE.equals(r.getBoolean("private")))
        .put("pinned", "pinned".equals(mapping)).put("ignored", "ignored".equals(mapping)).put("pinnedTo", r.getInteger("pinnedTo"))
        .put("removable", mapping != null)
        .put("pinMal", mapping == null && "unmapped".equals(state) && malId != 0)
        .put("pinAniList", mapping == null && "unmapped".equals(state) && malId == 0 && aniListId != 0)
        // a pair no sync changes on its own (held apart, or a refused value held back) is settled on the Mappings page
        .put("settle", "held_apart".equals(state) || (r.getString("next") != null && r.getString("next").contains("Mappings page")))
        .put("back", back);
  }

  /** One side's values in words: status, progress of the total, score, dates; null when the side has no entry. */
  private static JsonObject side(JsonObject s, String type, Integer total, boolean mal) {
    if (s == null) return null;
    boolean anime = "ANIME".equals(type);
    int progress = s.getInteger("progress", 0);
    int score = s.getInteger("score100", 0);
    String unit = anime ? "episodes" : "chapters";
    return new JsonObject()
        .put("status", status(s.getString("status"), anime, mal))
        .put("progress", (total == null ? progress + " " : progress + " / " + total + " ") + unit)
        .put("score", score == 0 ? "no score" : mal ? "score " + score / 10 + " / 10" : "score " + score + " / 100")
        .put("started", date(s.getJsonObject("started")))
        .put("finished", date(s.getJsonObject("finished")));
  }

  private static String status(String status, boolean anime, boolean mal) {
    return switch (status == null ? "" : status) {
      case "CURRENT" -> anime ? "Watching" : "Reading";
      case "PLANNING" -> anime ? "Plan to watch" : "Plan to read";
      case "COMPLETED" -> "Completed";
      case "DROPPED" -> "Dropped";
      case "PAUSED" -> mal ? "On hold" : "Paused";
      case "REPEATING" -> anime ? "Rewatching" : "Rereading";
      default -> "—";
    };
  }

  /** "1 May 2020", "May 2020", "2020", or a dash. */
  private static String date(JsonObject d) {
    if (d == null || d.getInteger("year") == null) return "—";
    Integer month = d.getInteger("month");
    Integer day = d.getInteger("day");
    String m = month == null || month < 1 || month > 12 ? null : MONTHS[month - 1];
    if (m == null) return String.valueOf(d.getInteger("year"));
    return (day == null ? "" : day + " ") + m + " " + d.getInteger("year");
  }
}
