package io.github.anilistmalsync.sandbox;

import io.github.anilistmalsync.model.FuzzyDate;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MalStatus;
import io.github.anilistmalsync.model.MediaType;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A fake MyAnimeList API v2 over real HTTP, faithful to what clients see: the list endpoints with limit/offset,
 * {@code paging.next} as a full URL, the NSFW filter, and only the fields a request names in {@code fields};
 * my_list_status PATCH/PUT (form-encoded, only given fields change, progress capped at the known total, repeats at
 * 255, {@code updated_at} bumped) and DELETE (404 when absent); MAL's error shapes; optional throttling; injected
 * faults; a log of every request. Used by the tests, the demo and the benchmark.
 *
 * <p>Like the real MAL: {@code comments} are stored as written and answered HTML-escaped (list reads and the PATCH
 * answer).
 */
public final class FakeMal extends FakeServer<FakeMal> {
  /** What the real API gives without being asked, per type. */
  private static final Set<String> DEFAULT_STATUS_FIELDS = Set.of("status", "score", "num_episodes_watched", "num_chapters_read",
      "num_volumes_read", "is_rewatching", "is_rereading", "updated_at");
  private static final DateTimeFormatter MAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);

  /** The form fields MAL's my_list_status PATCH accepts, per type (API reference); any other is refused. */
  static final Map<MediaType, Set<String>> FORM_FIELDS = Map.of(
      MediaType.ANIME, Set.of("status", "is_rewatching", "score", "num_watched_episodes", "priority", "num_times_rewatched",
          "rewatch_value", "tags", "comments", "start_date", "finish_date"),
      MediaType.MANGA, Set.of("status", "is_rereading", "score", "num_volumes_read", "num_chapters_read", "priority",
          "num_times_reread", "reread_value", "tags", "comments", "start_date", "finish_date"));

  /** A title in the fake's catalogue. */
  public record Title(MalId id, MediaType type, String title, String mediaType, Integer total, Integer volumes, boolean nsfw) {}

  private final Map<MediaType, Map<MalId, Title>> catalogue = new EnumMap<>(MediaType.class);
  private final Map<MediaType, Map<MalId, MalEntry>> lists = new EnumMap<>(MediaType.class);
  private Predicate<String> tokenValidator = token -> !token.isBlank();
  private Supplier<Instant> clock = Instant::now;
  private double throttlePerSecond;
  private int throttleStatus = 403;
  private final List<Long> recent = new ArrayList<>();
  private final Set<MalId> notApproved = new HashSet<>();
  private int userId = 1;
  private String userName = "demo";
  private final List<String> userAgents = java.util.Collections.synchronizedList(new ArrayList<>());
  /** Per type and title, the date fields ("start_date", "finish_date") the user set on the website without a year. */
  private final Map<MediaType, Map<MalId, Set<String>>> yearless = new EnumMap<>(MediaType.class);
  public FakeMal(Vertx vertx) {
    super(vertx);
    for (MediaType t : MediaType.values()) {
      catalogue.put(t, new TreeMap<>());
      lists.put(t, new TreeMap<>());
      yearless.put(t, new TreeMap<>());
    }
  }

  @Override
  protected void routes(Router router) {
    router.route().handler(this::gate);
    router.route().handler(BodyHandler.create());
    router.get("/v2/users/@me").handler(this::me);
    router.get("/v2/users/:user/animelist").handler(ctx -> list(ctx, MediaType.ANIME));
    router.get("/v2/users/:user/mangalist").handler(ctx -> list(ctx, MediaType.MANGA));
    router.route("/v2/anime/:id/my_list_status").handler(ctx -> status(ctx, MediaType.ANIME));
    router.route("/v2/manga/:id/my_list_status").handler(ctx -> status(ctx, MediaType.MANGA));
    router.get("/v2/anime/:id").handler(ctx -> details(ctx, MediaType.ANIME));
    router.get("/v2/manga/:id").handler(ctx -> details(ctx, MediaType.MANGA));
  }

  @Override
  protected FakeMal self() {
    return this;
  }

  /** The value for {@code myanimelist.api_url}. */
  public String apiUrl() {
    return "http://127.0.0.1:" + port() + "/v2";
  }

  // ---- test and demo controls ------------------------------------------------------------------------------

  /**
   * Adds MAL's OAuth endpoints (auto-approving) at /v1/oauth2/authorize and /v1/oauth2/token; from then on only the
   * tokens they issued are valid. Call after {@link #start}.
   */
  public FakeMal withOAuth(FakeOAuth oauth) {
    oauth.mount(this, "/v1/oauth2/authorize", "/v1/oauth2/token");
    return tokenValidator(oauth::isValid);
  }

  public FakeMal tokenValidator(Predicate<String> validator) {
    this.tokenValidator = validator;
    return this;
  }

  public FakeMal clock(Supplier<Instant> clock) {
    this.clock = clock;
    return this;
  }

  /**
   * Throttles above {@code perSecond} requests a second the way the real MAL does: 403
   * {@code {"error":"forbidden","message":""}} with no Retry-After (SuperMarcus/myanimelist-api-specification#5).
   */
  public FakeMal throttle(double perSecond) {
    return throttle(perSecond, 403);
  }

  /**
   * Throttles above {@code perSecond} requests a second with {@code status}: 403 as MAL does (no Retry-After), or
   * 429 with {@code Retry-After: 1}, which MAL is not known to send.
   */
  public FakeMal throttle(double perSecond, int status) {
    this.throttlePerSecond = perSecond;
    this.throttleStatus = status;
    return this;
  }


  /** Who the tokens belong to: what {@code GET /v2/users/@me} answers. */
  public synchronized FakeMal user(int id, String name) {
    this.userId = id;
    this.userName = name;
    return this;
  }

  /**
   * Titles MAL will not take on a list yet (a new entry not approved by its moderators): a PATCH for one of them is
   * answered 400 {@code invalid_content}, as the real MAL does. Empty unless a test says otherwise.
   */
  public synchronized FakeMal notApproved(MalId... ids) {
    notApproved.addAll(List.of(ids));
    return this;
  }

  /**
   * Marks the entry's start (else finish) date as one the user set on MAL's website with day and month but no year:
   * the real API answers such a date as {@code null} (mihon#3573), and so does the fake, until a PATCH sets the date.
   */
  public synchronized FakeMal dateWithoutYear(MediaType type, MalId id, boolean start) {
    yearless.get(type).computeIfAbsent(id, k -> new HashSet<>()).add(start ? "start_date" : "finish_date");
    return this;
  }

  public synchronized FakeMal addTitle(Title title) {
    catalogue.get(title.type()).put(title.id(), title);
    return this;
  }

  /** Puts an entry on the user's list (and its title in the catalogue, when missing). */
  public synchronized FakeMal putEntry(MalEntry e) {
    catalogue.get(e.type()).putIfAbsent(e.id(), new Title(e.id(), e.type(), e.title(), e.mediaType(), e.progressTotal(), e.volumesTotal(), e.nsfw()));
    lists.get(e.type()).put(e.id(), e);
    yearless.get(e.type()).remove(e.id());
    if (e.startDateUnknown()) dateWithoutYear(e.type(), e.id(), true);
    if (e.finishDateUnknown()) dateWithoutYear(e.type(), e.id(), false);
    return this;
  }

  public synchronized FakeMal removeEntry(MediaType type, MalId id) {
    lists.get(type).remove(id);
    yearless.get(type).remove(id);
    return this;
  }

  public synchronized List<MalEntry> entries(MediaType type) {
    return new ArrayList<>(lists.get(type).values());
  }

  /** The User-Agent of every request received, in order ("null" when a request sent none). */
  public List<String> userAgents() {
    synchronized (userAgents) {
      return List.copyOf(userAgents);
    }
  }

  public synchronized MalEntry entry(MediaType type, MalId id) {
    return lists.get(type).get(id);
  }


  // ---- HTTP ------------------------------------------------------------------------------------------------

  private void gate(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    long at = System.nanoTime();
    String kind = req.path().endsWith("list") ? "list" : req.path().startsWith("/v2/users/") ? "user"
        : "DELETE".equals(req.method().name()) ? "delete" : "GET".equals(req.method().name()) ? "details" : "save";
    ctx.addEndHandler(v -> log.add(new RecordedRequest(req.method().name(), req.path(), req.query(),
        ctx.body() == null || ctx.body().buffer() == null ? null : ctx.body().asString(), kind, at, ctx.response().getStatusCode())));
    userAgents.add(String.valueOf(req.getHeader("User-Agent")));
    Fault fault = faults.take(req);
    if (fault != null && fault.kind() == Fault.Kind.DELAY) {
      vertx.setTimer(fault.delayMs(), id -> authorised(ctx));
      return;
    }
    if (fault != null && FaultPlan.answer(vertx, req, fault)) return;
    if (throttled(at)) {
      var response = ctx.response().setStatusCode(throttleStatus).putHeader("Content-Type", "application/json");
      if (throttleStatus == 403) {
        response.end("{\"error\":\"forbidden\",\"message\":\"\"}");
      } else {
        response.putHeader("Retry-After", "1").end("{\"error\":\"too_many_requests\",\"message\":\"\"}");
      }
      return;
    }
    authorised(ctx);
  }

  private synchronized boolean throttled(long at) {
    if (throttlePerSecond <= 0) return false;
    recent.removeIf(t -> at - t >= 1_000_000_000L);
    if (recent.size() >= throttlePerSecond) return true;
    recent.add(at);
    return false;
  }

  private void authorised(RoutingContext ctx) {
    String auth = ctx.request().getHeader("Authorization");
    String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim() : "";
    if (!tokenValidator.test(token)) {
      ctx.response().setStatusCode(401).putHeader("Content-Type", "application/json")
          .putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\",error_description=\"The access token is invalid\"")
          .end("{\"error\":\"invalid_token\"}");
      return;
    }
    ctx.next();
  }

  private static void error(RoutingContext ctx, int status, String error, String message) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", error).put("message", message).encode());
  }

  /** {@code GET /v2/users/@me}: the signed-in user, in the shape of the real answer (go-myanimelist's userMyInfo.json). */
  private void me(RoutingContext ctx) {
    JsonObject me;
    synchronized (this) {
      me = new JsonObject().put("id", userId).put("name", userName).put("gender", "male").put("location", "")
          .put("joined_at", "2012-01-01T00:00:00+00:00").put("picture", "https://cdn.example/images/userimages/" + userId + ".jpg");
    }
    ctx.response().putHeader("Content-Type", "application/json; charset=UTF-8").end(me.encode());
  }

  private void list(RoutingContext ctx, MediaType type) {
    MultiMap q = ctx.request().params();
    int limit;
    int offset;
    try {
      limit = q.contains("limit") ? Integer.parseInt(q.get("limit")) : 100;
      offset = q.contains("offset") ? Integer.parseInt(q.get("offset")) : 0;
    } catch (NumberFormatException e) {
      error(ctx, 400, "invalid_parameter", "limit and offset must be integers");
      return;
    }
    if (limit < 1 || limit > 1000 || offset < 0) {
      error(ctx, 400, "invalid_parameter", "invalid limit");
      return;
    }
    boolean nsfw = "true".equals(q.get("nsfw"));
    Fields fields = Fields.parse(q.get("fields"));
    String sort = q.get("sort");
    if (sort != null && !SORTS.contains(sort)) {
      error(ctx, 400, "invalid_parameter", "invalid sort");
      return;
    }
    List<JsonObject> items = new ArrayList<>();
    synchronized (this) {
      for (MalEntry e : ordered(type, sort)) {
        Title t = catalogue.get(type).get(e.id());
        if (t != null && t.nsfw() && !nsfw) continue;
        items.add(new JsonObject().put("node", node(t, e, fields))
            .put("list_status", listStatus(type, e, yearless.get(type).getOrDefault(e.id(), Set.of()), fields.statusFields())));
      }
    }
    List<JsonObject> page = items.subList(Math.min(offset, items.size()), Math.min(offset + limit, items.size()));
    JsonObject paging = new JsonObject();
    if (offset + limit < items.size()) {
      MultiMap next = MultiMap.caseInsensitiveMultiMap().addAll(q).set("offset", String.valueOf(offset + limit)).set("limit", String.valueOf(limit));
      next.remove("user");
      StringBuilder url = new StringBuilder(apiUrl()).append("/users/").append(ctx.pathParam("user")).append('/').append(type.word()).append("list?");
      next.forEach(entry -> url.append(encode(entry.getKey())).append('=').append(encode(entry.getValue())).append('&'));
      url.setLength(url.length() - 1);
      paging.put("next", url.toString());
    }
    if (offset > 0) paging.put("previous", apiUrl() + "/users/" + ctx.pathParam("user") + "/" + type.word() + "list?offset=" + Math.max(0, offset - limit) + "&limit=" + limit);
    ctx.response().putHeader("Content-Type", "application/json; charset=UTF-8")
        .end(new JsonObject().put("data", new JsonArray(new ArrayList<>(page))).put("paging", paging).encode());
  }

  /**
   * What MAL does to stored comments on the way out (PHP's htmlspecialchars with ENT_QUOTES): the five characters
   * below become entities, nothing else changes. Writes take raw text, so the fake stores raw text.
   */
  static String escapeHtml(String raw) {
    StringBuilder out = new StringBuilder(raw.length());
    for (char c : raw.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '\'' -> out.append("&#039;");
        case '"' -> out.append("&quot;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static JsonObject node(Title t, MalEntry e, Fields fields) {
    JsonObject node = new JsonObject().put("id", e.id().value()).put("title", t == null ? e.title() : t.title())
        .put("main_picture", new JsonObject().put("medium", "https://cdn.example/images/" + e.id().value() + ".jpg")
            .put("large", "https://cdn.example/images/" + e.id().value() + "l.jpg"));
    if (t == null) return node;
    if (fields.top().contains("num_episodes") && t.type() == MediaType.ANIME) node.put("num_episodes", t.total() == null ? 0 : t.total());
    if (fields.top().contains("num_chapters") && t.type() == MediaType.MANGA) node.put("num_chapters", t.total() == null ? 0 : t.total());
    if (fields.top().contains("num_volumes") && t.type() == MediaType.MANGA) node.put("num_volumes", t.volumes() == null ? 0 : t.volumes());
    if (fields.top().contains("media_type")) node.put("media_type", t.mediaType());
    if (fields.top().contains("nsfw")) node.put("nsfw", t.nsfw() ? "black" : "white");
    return node;
  }

  /**
   * The list status with the fields asked for (null: the default ones); start/finish dates only when set, and
   * {@code null} for a date set on the website without a year.
   */
  private static JsonObject listStatus(MediaType type, MalEntry e, Set<String> withoutYear, Set<String> asked) {
    boolean anime = type == MediaType.ANIME;
    JsonObject all = new JsonObject()
        .put("status", e.status().apiWord(type))
        .put("score", e.score())
        .put(anime ? "num_episodes_watched" : "num_chapters_read", e.progress())
        .put(anime ? "is_rewatching" : "is_rereading", e.repeating())
        .put(anime ? "num_times_rewatched" : "num_times_reread", e.repeatCount())
        .put(anime ? "rewatch_value" : "reread_value", 0)
        .put("priority", e.priority())
        .put("tags", new JsonArray(e.tags()))
        .put("comments", escapeHtml(e.comments() == null ? "" : e.comments()))
        .put("updated_at", MAL_TIME.format(e.updatedAt() == null ? Instant.EPOCH : e.updatedAt()));
    if (!anime) all.put("num_volumes_read", e.volumesRead());
    if (!e.startDate().isEmpty()) all.put("start_date", e.startDate().toMalString());
    if (!e.finishDate().isEmpty()) all.put("finish_date", e.finishDate().toMalString());
    for (String date : withoutYear) all.putNull(date);
    JsonObject out = new JsonObject();
    for (String key : all.fieldNames()) {
      // sub-fields asked for come on top of the default ones: the real answer to list_status{comments, tags} carries
      // status, score, progress and updated_at too (go-myanimelist's recorded userMangaList.json)
      boolean wanted = DEFAULT_STATUS_FIELDS.contains(key) || key.endsWith("_date") || asked != null && asked.contains(key);
      if (wanted) out.put(key, all.getValue(key));
    }
    return out;
  }

  private void status(RoutingContext ctx, MediaType type) {
    MalId id;
    try {
      id = new MalId(Integer.parseInt(ctx.pathParam("id")));
    } catch (IllegalArgumentException e) {
      error(ctx, 400, "invalid_parameter", "invalid id");
      return;
    }
    switch (ctx.request().method().name()) {
      case "PATCH", "PUT" -> save(ctx, type, id);
      case "DELETE" -> delete(ctx, type, id);
      default -> error(ctx, 405, "method_not_allowed", "");
    }
  }

  private void delete(RoutingContext ctx, MediaType type, MalId id) {
    boolean removed;
    synchronized (this) {
      removed = lists.get(type).remove(id) != null;
      yearless.get(type).remove(id);
    }
    if (removed) ctx.response().putHeader("Content-Type", "application/json").end("[]");
    else error(ctx, 404, "not_found", "");
  }

  private void save(RoutingContext ctx, MediaType type, MalId id) {
    MultiMap form = ctx.request().formAttributes();
    boolean anime = type == MediaType.ANIME;
    for (String name : form.names()) {
      if (!FORM_FIELDS.get(type).contains(name)) {
        // MoeList#58: the real MAL refuses the whole save when the form carries a field it does not know
        error(ctx, 400, "bad_request", "This form should not contain extra fields.");
        return;
      }
    }
    MalEntry saved;
    Set<String> withoutYear;
    synchronized (this) {
      if (notApproved.contains(id)) {
        error(ctx, 400, "invalid_content", "This " + type.word() + " is not approved yet.");
        return;
      }
      Title t = catalogue.get(type).get(id);
      if (t == null) {
        error(ctx, 404, "not_found", "");
        return;
      }
      MalEntry cur = lists.get(type).get(id);
      if (cur == null) {
        cur = new MalEntry(id, type, t.title(), t.mediaType(), t.total(), t.volumes(), t.nsfw(), MalStatus.PLANNED, 0, 0, 0, false, 0,
            FuzzyDate.EMPTY, FuzzyDate.EMPTY, "", List.of(), 0, clock.get());
      }
      try {
        MalStatus status = form.contains("status") ? MalStatus.parse(form.get("status")) : cur.status();
        if (form.contains("status") && !form.get("status").equals(status.apiWord(type))) {
          throw new IllegalArgumentException("invalid status");
        }
        int score = intField(form, "score", cur.score());
        if (score < 0 || score > 10) throw new IllegalArgumentException("invalid score");
        int progress = intField(form, anime ? "num_watched_episodes" : "num_chapters_read", cur.progress());
        int volumes = anime ? 0 : intField(form, "num_volumes_read", cur.volumesRead());
        if (progress < 0 || volumes < 0) throw new IllegalArgumentException("invalid progress");
        if (t.total() != null && t.total() > 0) progress = Math.min(progress, t.total());
        if (t.volumes() != null && t.volumes() > 0) volumes = Math.min(volumes, t.volumes());
        boolean repeating = boolField(form, anime ? "is_rewatching" : "is_rereading", cur.repeating());
        int repeat = Math.min(255, intField(form, anime ? "num_times_rewatched" : "num_times_reread", cur.repeatCount()));
        FuzzyDate start = form.contains("start_date") ? FuzzyDate.parseMal(form.get("start_date")) : cur.startDate();
        FuzzyDate finish = form.contains("finish_date") ? FuzzyDate.parseMal(form.get("finish_date")) : cur.finishDate();
        String comments = form.contains("comments") ? form.get("comments") : cur.comments();
        List<String> tags = form.contains("tags") ? List.of(form.get("tags").split(",")) : cur.tags();
        int priority = intField(form, "priority", cur.priority());
        saved = new MalEntry(id, type, t.title(), t.mediaType(), t.total(), t.volumes(), t.nsfw(), status, score, progress, volumes,
            repeating, Math.max(0, repeat), start, finish, comments, tags, priority, clock.get());
      } catch (IllegalArgumentException e) {
        error(ctx, 400, "invalid_parameter", e.getMessage());
        return;
      }
      lists.get(type).put(id, saved);
      Set<String> marks = yearless.get(type).get(id);
      if (marks != null) marks.removeIf(form::contains);
      withoutYear = marks == null ? Set.of() : Set.copyOf(marks);
    }
    Set<String> everything = new HashSet<>(List.of("status", "score", "num_episodes_watched", "num_chapters_read", "num_volumes_read",
        "is_rewatching", "is_rereading", "num_times_rewatched", "num_times_reread", "rewatch_value", "reread_value", "priority",
        "tags", "comments", "updated_at", "start_date", "finish_date"));
    ctx.response().putHeader("Content-Type", "application/json; charset=UTF-8").end(listStatus(type, saved, withoutYear, everything).encode());
  }

  private static int intField(MultiMap form, String name, int current) {
    if (!form.contains(name)) return current;
    try {
      return Integer.parseInt(form.get(name).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid " + name);
    }
  }

  private static boolean boolField(MultiMap form, String name, boolean current) {
    if (!form.contains(name)) return current;
    String v = form.get(name).trim();
    if (v.equals("true") || v.equals("1")) return true;
    if (v.equals("false") || v.equals("0")) return false;
    throw new IllegalArgumentException("invalid " + name);
  }

  /** The {@code fields} parameter: node fields, and the list-status sub-fields (null when not narrowed). */
  record Fields(Set<String> top, Set<String> statusFields) {
    static Fields parse(String spec) {
      Set<String> top = new LinkedHashSet<>();
      Set<String> status = null;
      if (spec == null || spec.isBlank()) return new Fields(top, null);
      int depth = 0;
      StringBuilder token = new StringBuilder();
      String current = null;
      for (char c : (spec + ",").toCharArray()) {
        if (c == '{') {
          current = token.toString().trim();
          token.setLength(0);
          depth++;
          if (current.equals("list_status")) status = new LinkedHashSet<>();
        } else if (c == '}') {
          if (current != null && current.equals("list_status") && status != null && !token.toString().isBlank()) status.add(token.toString().trim());
          token.setLength(0);
          depth--;
          if (depth == 0) {
            top.add(current);
            current = null;
          }
        } else if (c == ',') {
          String t = token.toString().trim();
          token.setLength(0);
          if (t.isEmpty()) continue;
          if (depth == 0) top.add(t);
          else if ("list_status".equals(current) && status != null) status.add(t);
        } else {
          token.append(c);
        }
      }
      return new Fields(Collections.unmodifiableSet(top), status);
    }
  }

  // ---- live sync: the list newest update first, and one title with the user's status -------------------------

  /** The sorts MAL's list endpoints take (API reference); anything else is refused. */
  private static final Set<String> SORTS = Set.of("list_score", "list_updated_at", "anime_title", "anime_start_date", "manga_title",
      "manga_start_date");

  /** The list in the order asked: {@code list_updated_at} newest first (ties by id), {@code list_score} highest first. */
  private synchronized List<MalEntry> ordered(MediaType type, String sort) {
    List<MalEntry> all = new ArrayList<>(lists.get(type).values());
    java.util.Comparator<MalEntry> byId = java.util.Comparator.comparingInt(e -> e.id().value());
    if ("list_updated_at".equals(sort)) {
      all.sort(java.util.Comparator.<MalEntry, Instant>comparing(e -> e.updatedAt() == null ? Instant.EPOCH : e.updatedAt()).reversed()
          .thenComparing(byId));
    } else if ("list_score".equals(sort)) {
      all.sort(java.util.Comparator.comparingInt(MalEntry::score).reversed().thenComparing(byId));
    }
    return all;
  }

  /**
   * {@code GET /anime/{id}} (or manga): the title's node with the fields asked for, and {@code my_list_status} (its
   * sub-fields as for list_status) only when the title is on the user's list; 404 for a title MAL does not have.
   */
  private void details(RoutingContext ctx, MediaType type) {
    int raw;
    try {
      raw = Integer.parseInt(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      error(ctx, 400, "invalid_parameter", "invalid id");
      return;
    }
    MalId id = new MalId(raw);
    String spec = ctx.request().getParam("fields");
    Fields fields = Fields.parse(spec == null ? null : spec.replace("my_list_status{", "list_status{"));
    JsonObject node;
    synchronized (this) {
      Title t = catalogue.get(type).get(id);
      MalEntry e = lists.get(type).get(id);
      if (t == null) {
        error(ctx, 404, "not_found", "");
        return;
      }
      MalEntry shown = e != null ? e : new MalEntry(id, type, t.title(), t.mediaType(), t.total(), t.volumes(), t.nsfw(), MalStatus.PLANNED,
          0, 0, 0, false, 0, FuzzyDate.EMPTY, FuzzyDate.EMPTY, "", List.of(), 0, null);
      node = node(t, shown, fields);
      if (e != null && spec != null && spec.contains("my_list_status")) node.put("my_list_status",
          listStatus(type, e, yearless.get(type).getOrDefault(e.id(), Set.of()), fields.statusFields()));
    }
    ctx.response().putHeader("Content-Type", "application/json; charset=UTF-8").end(node.encode());
  }
}
