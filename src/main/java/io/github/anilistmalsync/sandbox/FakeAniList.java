package io.github.anilistmalsync.sandbox;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.ExceptionWhileDataFetching;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import graphql.schema.Coercing;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLScalarType;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListMedia;
import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.FuzzyDate;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.model.ScoreFormat;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A fake AniList GraphQL API over real HTTP. It executes real GraphQL (graphql-java) against a subset of AniList's
 * published schema, so any query our client sends is validated as AniList would: Viewer, MediaListCollection in
 * chunks (an entry in a custom list appears once more in that list's group, as on AniList), Page(idMal_in),
 * SaveMediaListEntry and DeleteMediaListEntry with AniList's error shapes and statuses, score formats, bumped
 * {@code updatedAt}, rate-limit headers and the exact 429, injected faults and a log of every request.
 */
public final class FakeAniList extends FakeServer<FakeAniList> {
  /** A user of the fake: the token's owner. */
  public record User(int id, String name, ScoreFormat scoreFormat) {}

  /** An error AniList answers with an HTTP status (and, for validation, the field messages). */
  static final class AniListError extends RuntimeException {
    final int status;
    final JsonObject validation;

    AniListError(int status, String message, JsonObject validation) {
      super(message, null, false, false);
      this.status = status;
      this.validation = validation;
    }
  }

  private final GraphQL graphQL;
  private final Map<Integer, AniListMedia> media = new TreeMap<>();
  private final Map<Long, AniListEntry> entries = new TreeMap<>();
  private final Map<Integer, User> users = new HashMap<>();
  private Function<String, Optional<Integer>> tokenValidator = token -> token.isBlank() ? Optional.empty() : Optional.of(1);
  private Supplier<Instant> clock = Instant::now;
  private long nextEntryId = 1_000_000;
  private int perMinute;
  private int retryAfterSeconds = 60;
  private final Deque<Long> window = new ArrayDeque<>();
  private long blockedUntil;
  /** Users whose "show adult content" setting is on; everyone else's signed-in Media queries leave adult media out. */
  private final java.util.Set<Integer> adultContentShown = new java.util.HashSet<>();
  /** AniList's MediaListCollection returns at most this many entries, the most recently updated. */
  public static final int REAL_COLLECTION_CAP = AniListEntry.COLLECTION_CAP;
  private int collectionCap = REAL_COLLECTION_CAP;
  /** The kind of every request that carried a token, in order (the request log itself records no headers). */
  private final List<String> signedKinds = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile java.util.function.UnaryOperator<String> answerRewrite = java.util.function.UnaryOperator.identity();

  public FakeAniList(Vertx vertx) {
    super(vertx);
    users.put(1, new User(1, "demo", ScoreFormat.POINT_10));
    this.graphQL = GraphQL.newGraphQL(new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(schemaText()), wiring())).build();
  }

  private static String schemaText() {
    try (InputStream in = FakeAniList.class.getResourceAsStream("/sandbox/anilist/schema.graphqls")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("the fake AniList schema is missing from the classpath", e);
    }
  }

  @Override
  protected void routes(Router router) {
    router.post("/").handler(BodyHandler.create()).handler(this::graphql);
  }

  @Override
  protected FakeAniList self() {
    return this;
  }

  /** The value for {@code anilist.api_url}. */
  public String apiUrl() {
    return "http://127.0.0.1:" + port() + "/";
  }

  // ---- test and demo controls ------------------------------------------------------------------------------

  /**
   * Adds AniList's OAuth endpoints (auto-approving) at /api/v2/oauth/authorize and /api/v2/oauth/token; from then on
   * only the tokens they issued are valid. Call after {@link #start}.
   */
  public FakeAniList withOAuth(FakeOAuth oauth) {
    oauth.mount(this, "/api/v2/oauth/authorize", "/api/v2/oauth/token");
    return tokenValidator(oauth::userFor);
  }

  /** Who a token belongs to: empty for a token AniList would call invalid. */
  public FakeAniList tokenValidator(Function<String, Optional<Integer>> validator) {
    this.tokenValidator = validator;
    return this;
  }

  public FakeAniList clock(Supplier<Instant> clock) {
    this.clock = clock;
    return this;
  }

  /** The user's "display adult content" setting (off by default, as for a new AniList account). */
  public synchronized FakeAniList displayAdultContent(int userId, boolean shown) {
    if (shown) adultContentShown.add(userId);
    else adultContentShown.remove(userId);
    return this;
  }

  /** How many entries (the most recently updated) MediaListCollection returns at most; AniList's is 11,000. */
  public synchronized FakeAniList collectionCap(int cap) {
    this.collectionCap = cap;
    return this;
  }

  /** AniList's answer to a token it no longer accepts (z411/trackma#555): the only answer that means "signed out". */
  public static Fault invalidToken() {
    return Fault.status(400, "{\"errors\":[{\"message\":\"Invalid token\",\"status\":400,\"locations\":[{\"line\":2,\"column\":3}]}],"
        + "\"data\":{\"SaveMediaListEntry\":null}}");
  }

  /** AniList's 401 to a write the user may not make (anilistnet#19): the token itself is still good. */
  public static Fault notAuthorisedToModify() {
    return Fault.status(401, "{\"errors\":[{\"message\":\"You are not authorized to modify this MediaList\",\"status\":401}],"
        + "\"data\":{\"SaveMediaListEntry\":null}}");
  }

  /** A 500, as AniList answered one client with an expired token (mihon#1700): not taken for a sign-out. */
  public static Fault serverError() {
    return Fault.status(500, "{\"errors\":[{\"message\":\"Internal Server Error\",\"status\":500}],\"data\":null}");
  }

  /** The kinds of the requests that were sent with an Authorization header, in order. */
  public List<String> signedRequestKinds() {
    return List.copyOf(signedKinds);
  }

  /**
   * Rewrites every GraphQL answer's text before it is sent: a test's way to make AniList send what this schema cannot
   * (a status word added since, a date it does not check). The identity by default.
   */
  public FakeAniList rewriteAnswers(java.util.function.UnaryOperator<String> rewrite) {
    this.answerRewrite = rewrite;
    return this;
  }

  public synchronized FakeAniList user(User user) {
    users.put(user.id(), user);
    return this;
  }

  /** AniList's limit: {@code perMinute} requests in any minute, then 429 with Retry-After for a while. */
  public FakeAniList rateLimit(int perMinute, int retryAfterSeconds) {
    this.perMinute = perMinute;
    this.retryAfterSeconds = retryAfterSeconds;
    return this;
  }


  public synchronized FakeAniList addMedia(AniListMedia m) {
    media.put(m.id().value(), m);
    return this;
  }

  /** Puts an entry on user 1's list (and its media in the catalogue). */
  public synchronized FakeAniList putEntry(AniListEntry e) {
    media.putIfAbsent(e.media().id().value(), e.media());
    entries.put(e.id(), e);
    nextEntryId = Math.max(nextEntryId, e.id() + 1);
    return this;
  }

  public synchronized FakeAniList removeEntry(long entryId) {
    entries.remove(entryId);
    return this;
  }

  public synchronized List<AniListEntry> entries(MediaType type) {
    return entries.values().stream().filter(e -> e.type() == type).toList();
  }

  /** The entry for a MAL id, if the user has one. */
  public synchronized Optional<AniListEntry> entryByMalId(MediaType type, MalId malId) {
    return entries.values().stream().filter(e -> e.type() == type && malId.equals(e.media().idMal())).findFirst();
  }


  // ---- HTTP ------------------------------------------------------------------------------------------------

  private void graphql(RoutingContext ctx) {
    long at = System.nanoTime();
    String body = ctx.body().asString();
    String[] kind = {"unknown"};
    boolean signed = ctx.request().getHeader("Authorization") != null;
    ctx.addEndHandler(v -> {
      if (signed) signedKinds.add(kind[0]);
      log.add(new RecordedRequest("POST", "/", "", body, kind[0], at, ctx.response().getStatusCode()));
    });
    JsonObject request;
    try {
      request = new JsonObject(body);
      kind[0] = rootField(request.getString("query"));
    } catch (RuntimeException e) {
      fail(ctx.response(), 400, "Invalid JSON in request body", null, null);
      return;
    }
    Fault fault = faults.take(ctx.request());
    if (fault != null && fault.kind() == Fault.Kind.DELAY) {
      vertx.setTimer(fault.delayMs(), id -> limited(ctx, request));
      return;
    }
    if (fault != null && FaultPlan.answer(vertx, ctx.request(), fault)) return;
    limited(ctx, request);
  }

  private void limited(RoutingContext ctx, JsonObject request) {
    HttpServerResponse response = ctx.response();
    if (perMinute > 0) {
      long now = System.nanoTime();
      int remaining;
      synchronized (window) {
        if (now < blockedUntil) {
          tooMany(response);
          return;
        }
        while (!window.isEmpty() && now - window.peekFirst() >= 60_000_000_000L) window.pollFirst();
        if (window.size() >= perMinute) {
          blockedUntil = now + retryAfterSeconds * 1_000_000_000L;
          tooMany(response);
          return;
        }
        window.addLast(now);
        remaining = perMinute - window.size();
      }
      response.putHeader("X-RateLimit-Limit", String.valueOf(perMinute)).putHeader("X-RateLimit-Remaining", String.valueOf(remaining));
    }
    execute(ctx, request);
  }

  private void tooMany(HttpServerResponse response) {
    response.setStatusCode(429).putHeader("Content-Type", "application/json").putHeader("Retry-After", String.valueOf(retryAfterSeconds))
        .end("{\"data\":null,\"errors\":[{\"message\":\"Too Many Requests.\",\"status\":429}]}");
  }

  private void execute(RoutingContext ctx, JsonObject request) {
    String auth = ctx.request().getHeader("Authorization");
    String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim() : null;
    Integer userId = null;
    if (token != null) {
      Optional<Integer> owner = tokenValidator.apply(token);
      if (owner.isEmpty()) {
        fail(ctx.response(), 400, "Invalid token", null, new JsonObject().putNull(rootFieldOrNull(request)));
        return;
      }
      userId = owner.get();
    }
    JsonObject variables = request.getJsonObject("variables", new JsonObject());
    Map<String, Object> context = new HashMap<>();
    if (userId != null) context.put("userId", userId);
    ExecutionResult result;
    synchronized (this) {
      result = graphQL.execute(ExecutionInput.newExecutionInput()
          .query(request.getString("query", ""))
          .variables(variables.getMap())
          .graphQLContext(context)
          .build());
    }
    JsonObject out = new JsonObject();
    Object data = result.getData();
    out.put("data", data == null ? null : new JsonObject(FakeAniList.<Map<String, Object>>cast(data)));
    if (!result.getErrors().isEmpty()) {
      int status = 400;
      JsonArray errors = new JsonArray();
      for (GraphQLError error : result.getErrors()) {
        JsonObject e = new JsonObject().put("message", error.getMessage()).put("status", 400);
        if (error instanceof ExceptionWhileDataFetching fetching && fetching.getException() instanceof AniListError ae) {
          status = ae.status;
          e.put("message", ae.getMessage()).put("status", ae.status);
          if (ae.validation != null) e.put("validation", ae.validation);
        }
        if (error.getLocations() != null && !error.getLocations().isEmpty()) {
          e.put("locations", new JsonArray(error.getLocations().stream()
              .map(l -> new JsonObject().put("line", l.getLine()).put("column", l.getColumn())).toList()));
        }
        errors.add(e);
      }
      out.put("errors", errors);
      ctx.response().setStatusCode(status);
    }
    ctx.response().putHeader("Content-Type", "application/json").end(answerRewrite.apply(out.encode()));
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object o) {
    return (T) o;
  }

  private static void fail(HttpServerResponse response, int status, String message, JsonObject validation, JsonObject data) {
    JsonObject error = new JsonObject().put("message", message).put("status", status)
        .put("locations", new JsonArray().add(new JsonObject().put("line", 2).put("column", 3)));
    if (validation != null) error.put("validation", validation);
    response.setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("errors", new JsonArray().add(error)).put("data", data).encode());
  }

  private static String rootField(String query) {
    Document doc = Parser.parse(query);
    OperationDefinition op = doc.getDefinitionsOfType(OperationDefinition.class).get(0);
    return ((Field) op.getSelectionSet().getSelections().get(0)).getName();
  }

  private static String rootFieldOrNull(JsonObject request) {
    try {
      return rootField(request.getString("query", ""));
    } catch (RuntimeException e) {
      return "Viewer";
    }
  }

  // ---- GraphQL resolvers -----------------------------------------------------------------------------------

  private RuntimeWiring wiring() {
    GraphQLScalarType json = GraphQLScalarType.newScalar().name("Json").coercing(new Coercing<Object, Object>() {
      @Override
      public Object serialize(Object value) {
        return value;
      }

      @Override
      public Object parseValue(Object input) {
        return input;
      }
    }).build();
    return RuntimeWiring.newRuntimeWiring()
        .scalar(json)
        .type("Query", b -> b
            .dataFetcher("Viewer", env -> userMap(requireUser(env)))
            .dataFetcher("MediaListCollection", this::collection)
            .dataFetcher("Page", this::pageMap)
            .dataFetcher("Media", this::singleMedia))
        .type("Page", b -> b.dataFetcher("media", this::pageItems).dataFetcher("mediaList", this::pageItems))
        .type("MediaList", b -> b
            .dataFetcher("score", this::score)
            .dataFetcher("customLists", this::customLists))
        .type("Mutation", b -> b
            .dataFetcher("SaveMediaListEntry", this::save)
            .dataFetcher("DeleteMediaListEntry", this::delete))
        .build();
  }

  private User requireUser(DataFetchingEnvironment env) {
    Integer userId = env.getGraphQlContext().get("userId");
    if (userId == null) throw new AniListError(401, "Unauthorized.", null);
    User user = users.get(userId);
    if (user == null) throw new AniListError(404, "Not Found.", null);
    return user;
  }

  private Map<String, Object> userMap(User user) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", user.id());
    m.put("name", user.name());
    m.put("options", Map.of("displayAdultContent", adultContentShown.contains(user.id())));
    m.put("mediaListOptions", Map.of("scoreFormat", user.scoreFormat().name()));
    return m;
  }

  private Map<String, Object> collection(DataFetchingEnvironment env) {
    Integer userId = env.getArgument("userId");
    String userName = env.getArgument("userName");
    User user = userId != null ? users.get(userId)
        : users.values().stream().filter(u -> u.name().equalsIgnoreCase(String.valueOf(userName))).findFirst().orElse(null);
    if (user == null) throw new AniListError(404, "Not Found.", null);
    MediaType type = MediaType.parse(String.valueOf(env.<Object>getArgument("type")));
    int perChunk = Math.min(500, Math.max(1, env.containsArgument("perChunk") && env.getArgument("perChunk") != null ? env.<Integer>getArgument("perChunk") : 500));
    int chunk = Math.max(1, env.containsArgument("chunk") && env.getArgument("chunk") != null ? env.<Integer>getArgument("chunk") : 1);
    List<AniListEntry> all = user.id() == 1 ? collectable(type) : List.of();
    int from = Math.min(all.size(), (chunk - 1) * perChunk);
    int to = Math.min(all.size(), chunk * perChunk);
    List<AniListEntry> slice = all.subList(from, to);
    Map<String, List<Map<String, Object>>> statusGroups = new LinkedHashMap<>();
    Map<String, List<Map<String, Object>>> customGroups = new LinkedHashMap<>();
    for (AniListEntry e : slice) {
      if (!e.hiddenFromStatusLists()) statusGroups.computeIfAbsent(e.status().name(), k -> new ArrayList<>()).add(entryMap(e, user));
      for (String list : e.customLists()) customGroups.computeIfAbsent(list, k -> new ArrayList<>()).add(entryMap(e, user));
    }
    List<Map<String, Object>> lists = new ArrayList<>();
    statusGroups.forEach((status, es) -> lists.add(group(status.charAt(0) + status.substring(1).toLowerCase(), false, status, es)));
    customGroups.forEach((name, es) -> lists.add(group(name, true, null, es)));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lists", lists);
    m.put("user", userMap(user));
    m.put("hasNextChunk", to < all.size());
    return m;
  }

  /**
   * What MediaListCollection can return of user 1's list: the {@code collectionCap} most recently updated entries,
   * less those hidden from status lists and in no custom list (AniList leaves those out; they answer only to
   * direct queries). In entry-id order.
   */
  private List<AniListEntry> collectable(MediaType type) {
    java.util.Set<Long> newest = entries.values().stream().filter(e -> e.type() == type)
        .sorted(java.util.Comparator.comparingLong(AniListEntry::updatedAt).reversed().thenComparing(AniListEntry::id, java.util.Comparator.reverseOrder()))
        .limit(collectionCap).map(AniListEntry::id).collect(java.util.stream.Collectors.toSet());
    return entries.values().stream()
        .filter(e -> newest.contains(e.id()))
        .filter(e -> !(e.hiddenFromStatusLists() && e.customLists().isEmpty()))
        .toList();
  }

  private static Map<String, Object> group(String name, boolean custom, String status, List<Map<String, Object>> es) {
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("name", name);
    g.put("isCustomList", custom);
    g.put("isSplitCompletedList", false);
    g.put("status", status);
    g.put("entries", es);
    return g;
  }

  private Map<String, Object> entryMap(AniListEntry e, User user) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("userId", user.id());
    m.put("mediaId", e.media().id().value());
    m.put("status", e.status().name());
    m.put("score100", e.score100());
    m.put("progress", e.progress());
    m.put("progressVolumes", e.progressVolumes());
    m.put("repeat", e.repeat());
    m.put("priority", 0);
    m.put("private", e.isPrivate());
    m.put("notes", e.notes());
    m.put("hiddenFromStatusLists", e.hiddenFromStatusLists());
    m.put("customListNames", e.customLists());
    m.put("startedAt", e.startedAt().toJson().getMap());
    m.put("completedAt", e.completedAt().toJson().getMap());
    m.put("updatedAt", e.updatedAt());
    m.put("createdAt", e.createdAt());
    m.put("media", mediaMap(media.getOrDefault(e.media().id().value(), e.media())));
    m.put("scoreFormat", user.scoreFormat());
    return m;
  }

  private static Map<String, Object> mediaMap(AniListMedia m) {
    Map<String, Object> out = new LinkedHashMap<>(m.toJson().getMap());
    out.put("title", m.toJson().getJsonObject("title").getMap());
    return out;
  }

  private Object score(DataFetchingEnvironment env) {
    Map<String, Object> source = env.getSource();
    int score100 = (Integer) source.get("score100");
    Object format = env.getArgument("format");
    ScoreFormat f = format != null ? ScoreFormat.valueOf(String.valueOf(format)) : (ScoreFormat) source.get("scoreFormat");
    return f.display(score100);
  }

  @SuppressWarnings("unchecked")
  private Object customLists(DataFetchingEnvironment env) {
    Map<String, Object> source = env.getSource();
    List<String> names = (List<String>) source.get("customListNames");
    if (Boolean.TRUE.equals(env.getArgument("asArray"))) {
      return names.stream().map(n -> Map.of("name", n, "enabled", true)).toList();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    names.forEach(n -> m.put(n, true));
    return m;
  }

  /**
   * A Page: its items are worked out here, from the arguments of whichever of media / mediaList the query selects,
   * so that pageInfo (selected before them) already knows whether another page follows.
   */
  private Map<String, Object> pageMap(DataFetchingEnvironment env) {
    int p = Math.max(1, env.getArgument("page") == null ? 1 : env.<Integer>getArgument("page"));
    int per = Math.max(1, Math.min(50, env.getArgument("perPage") == null ? 50 : env.<Integer>getArgument("perPage")));
    List<Map<String, Object>> matches = List.of();
    var selection = env.getSelectionSet();
    if (!selection.getFields("media").isEmpty()) {
      matches = pageMediaMatches(env, selection.getFields("media").get(0).getArguments());
    } else if (!selection.getFields("mediaList").isEmpty()) {
      matches = pageListMatches(selection.getFields("mediaList").get(0).getArguments());
    }
    int from = Math.min(matches.size(), (p - 1) * per);
    int to = Math.min(matches.size(), p * per);
    Map<String, Object> m = new HashMap<>();
    m.put("pageInfo", Map.of("total", matches.size(), "perPage", per, "currentPage", p,
        "lastPage", Math.max(1, (matches.size() + per - 1) / per), "hasNextPage", to < matches.size()));
    m.put("items", matches.subList(from, to));
    return m;
  }

  private Object pageItems(DataFetchingEnvironment env) {
    Map<String, Object> page = env.getSource();
    return page.get("items");
  }

  /** Media as AniList shows them to the caller: adult media only to anonymous callers and users who chose to see them. */
  private boolean visible(DataFetchingEnvironment env, AniListMedia m) {
    if (!m.isAdult()) return true;
    Integer userId = env.getGraphQlContext().get("userId");
    return userId == null || adultContentShown.contains(userId);
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> pageMediaMatches(DataFetchingEnvironment env, Map<String, Object> args) {
    List<Integer> malIds = (List<Integer>) args.get("idMal_in");
    List<Integer> ids = (List<Integer>) args.get("id_in");
    Object typeArg = args.get("type");
    return media.values().stream()
        .filter(m -> typeArg == null || m.type().name().equals(String.valueOf(typeArg)))
        .filter(m -> malIds == null || (m.idMal() != null && malIds.contains(m.idMal().value())))
        .filter(m -> ids == null || ids.contains(m.id().value()))
        .filter(m -> visible(env, m))
        .map(FakeAniList::mediaMap)
        .toList();
  }

  /** Page.mediaList: a user's entries by media id, hidden ones and those beyond the collection's cap included. */
  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> pageListMatches(Map<String, Object> args) {
    Integer userId = (Integer) args.get("userId");
    Object userName = args.get("userName");
    User user = userId != null ? users.get(userId)
        : users.values().stream().filter(u -> u.name().equalsIgnoreCase(String.valueOf(userName))).findFirst().orElse(null);
    if (user == null) throw new AniListError(404, "Not Found.", null);
    List<Integer> mediaIds = (List<Integer>) args.get("mediaId_in");
    Integer mediaId = (Integer) args.get("mediaId");
    Object typeArg = args.get("type");
    if (user.id() != 1) return List.of();
    return entries.values().stream()
        .filter(e -> typeArg == null || e.type().name().equals(String.valueOf(typeArg)))
        .filter(e -> mediaIds == null || mediaIds.contains(e.media().id().value()))
        .filter(e -> mediaId == null || mediaId == e.media().id().value())
        .sorted(listOrder((List<Object>) args.get("sort")))
        .map(e -> entryMap(e, user))
        .toList();
  }

  /**
   * The order {@code sort} asks for ({@code UPDATED_TIME_DESC}: newest update first, live sync's read), the first
   * value the fake knows winning; without one, by entry id. Ties newest entry first.
   */
  private static java.util.Comparator<AniListEntry> listOrder(List<Object> sort) {
    java.util.Comparator<AniListEntry> byId = java.util.Comparator.comparingLong(AniListEntry::id);
    if (sort == null) return byId;
    for (Object s : sort) {
      java.util.Comparator<AniListEntry> by = switch (String.valueOf(s)) {
        case "UPDATED_TIME" -> java.util.Comparator.comparingLong(AniListEntry::updatedAt);
        case "UPDATED_TIME_DESC" -> java.util.Comparator.comparingLong(AniListEntry::updatedAt).reversed();
        case "ADDED_TIME" -> java.util.Comparator.comparingLong(AniListEntry::createdAt);
        case "ADDED_TIME_DESC" -> java.util.Comparator.comparingLong(AniListEntry::createdAt).reversed();
        case "MEDIA_ID" -> java.util.Comparator.comparingInt(e -> e.media().id().value());
        case "MEDIA_ID_DESC" -> java.util.Comparator.<AniListEntry>comparingInt(e -> e.media().id().value()).reversed();
        default -> null;
      };
      if (by != null) return by.thenComparing(byId.reversed());
    }
    return byId;
  }

  private Map<String, Object> singleMedia(DataFetchingEnvironment env) {
    Integer id = env.getArgument("id");
    Integer idMal = env.getArgument("idMal");
    Object typeArg = env.getArgument("type");
    return media.values().stream()
        .filter(m -> id == null || m.id().value() == id)
        .filter(m -> idMal == null || (m.idMal() != null && m.idMal().value() == idMal))
        .filter(m -> typeArg == null || m.type().name().equals(String.valueOf(typeArg)))
        .filter(m -> visible(env, m))
        .findFirst().map(FakeAniList::mediaMap)
        .orElseThrow(() -> new AniListError(404, "Not Found.", null));
  }

  private Map<String, Object> save(DataFetchingEnvironment env) {
    User user = requireUser(env);
    Integer id = env.getArgument("id");
    Integer mediaId = env.getArgument("mediaId");
    AniListEntry current = null;
    if (id != null) {
      current = entries.get(id.longValue());
      if (current == null) throw invalid("id", "The selected id is invalid.");
    } else if (mediaId != null) {
      current = entries.values().stream().filter(e -> e.media().id().value() == mediaId).findFirst().orElse(null);
    } else {
      throw new AniListError(400, "validation", new JsonObject().put("mediaId", new JsonArray().add("The media id field is required.")));
    }
    AniListMedia m = current != null ? current.media() : media.get(mediaId);
    if (m == null) throw invalid("mediaId", "The selected media id is invalid.");
    JsonObject validation = new JsonObject();
    Integer scoreRaw = env.getArgument("scoreRaw");
    Double score = env.getArgument("score");
    if (scoreRaw != null && (scoreRaw < 0 || scoreRaw > 100)) validation.put("score", new JsonArray().add("The score may not be greater than 100."));
    String notes = env.getArgument("notes");
    if (notes != null && notes.length() > 6000) validation.put("notes", new JsonArray().add("The notes may not be greater than 6000 characters."));
    Integer repeat = env.getArgument("repeat");
    if (repeat != null && (repeat < 0 || repeat > 1000)) validation.put("repeat", new JsonArray().add("The repeat may not be greater than 1000."));
    Integer progress = env.getArgument("progress");
    if (progress != null && progress < 0) validation.put("progress", new JsonArray().add("The progress must be at least 0."));
    if (!validation.isEmpty()) throw new AniListError(400, "validation", validation);
    long now = clock.get().getEpochSecond();
    AniListEntry base = current != null ? current : new AniListEntry(nextEntryId++, m, AniListStatus.PLANNING, 0, null, 0, 0, 0,
        false, false, null, List.of(), FuzzyDate.EMPTY, FuzzyDate.EMPTY, now, now);
    int score100 = base.score100();
    if (scoreRaw != null) score100 = scoreRaw;
    else if (score != null) score100 = user.scoreFormat().fromDisplay(score);
    AniListEntry saved = new AniListEntry(base.id(), m,
        env.getArgument("status") != null ? AniListStatus.valueOf(String.valueOf(env.<Object>getArgument("status"))) : base.status(),
        score100, user.scoreFormat().display(score100),
        progress != null ? progress : base.progress(),
        env.getArgument("progressVolumes") != null ? env.<Integer>getArgument("progressVolumes") : base.progressVolumes(),
        repeat != null ? repeat : base.repeat(),
        env.getArgument("private") != null ? env.<Boolean>getArgument("private") : base.isPrivate(),
        env.getArgument("hiddenFromStatusLists") != null ? env.<Boolean>getArgument("hiddenFromStatusLists") : base.hiddenFromStatusLists(),
        env.containsArgument("notes") ? notes : base.notes(),
        env.getArgument("customLists") != null ? env.<List<String>>getArgument("customLists") : base.customLists(),
        env.containsArgument("startedAt") ? date(env.getArgument("startedAt")) : base.startedAt(),
        env.containsArgument("completedAt") ? date(env.getArgument("completedAt")) : base.completedAt(),
        now, base.createdAt());
    entries.put(saved.id(), saved);
    return entryMap(saved, user);
  }

  private static FuzzyDate date(Map<String, Object> input) {
    if (input == null) return FuzzyDate.EMPTY;
    return FuzzyDate.of((Integer) input.get("year"), (Integer) input.get("month"), (Integer) input.get("day"));
  }

  private Map<String, Object> delete(DataFetchingEnvironment env) {
    requireUser(env);
    Integer id = env.getArgument("id");
    if (id == null || entries.remove(id.longValue()) == null) throw invalid("id", "The selected id is invalid.");
    return Map.of("deleted", true);
  }

  /** AniList's answer to a mutation naming an id that does not exist: 400 validation, not 404 (erengy/taiga#614, #834). */
  private static AniListError invalid(String field, String message) {
    return new AniListError(400, "validation", new JsonObject().put(field, new JsonArray().add(message)));
  }
}
