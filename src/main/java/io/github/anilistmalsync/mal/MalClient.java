package io.github.anilistmalsync.mal;

import io.github.anilistmalsync.bus.FailureKind;
import io.github.anilistmalsync.bus.FetchedLists;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.client.ChangesSince;
import io.github.anilistmalsync.client.HttpFailures;
import io.github.anilistmalsync.model.JsonNumbers;
import io.github.anilistmalsync.client.RateLimiter;
import io.github.anilistmalsync.client.RequestMetrics;
import io.github.anilistmalsync.client.TokenSource;
import io.github.anilistmalsync.client.Upstream;
import io.github.anilistmalsync.client.UserAgent;
import io.github.anilistmalsync.model.FuzzyDate;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MalStatus;
import io.github.anilistmalsync.model.MediaType;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.text.StringEscapeUtils;

/**
 * MyAnimeList API v2: reads a whole list (every page, NSFW entries included, every field the sync uses) and writes
 * one entry's list status. Owns its WebClient; every request goes through {@link Upstream} (pacing, deadline,
 * retries, breaker, token refresh).
 */
public final class MalClient {
  public static final String SERVICE = "mal";
  private static final String ANIME_FIELDS = "list_status{status,score,num_episodes_watched,is_rewatching,num_times_rewatched,"
      + "start_date,finish_date,comments,tags,priority,updated_at},num_episodes,media_type,nsfw";
  private static final String MANGA_FIELDS = "list_status{status,score,num_chapters_read,num_volumes_read,is_rereading,"
      + "num_times_reread,start_date,finish_date,comments,tags,priority,updated_at},num_chapters,num_volumes,media_type,nsfw";
  /** The form fields MAL's my_list_status PATCH documents, per type; nothing else is ever sent. */
  static final Map<MediaType, Set<String>> FORM_FIELDS = Map.of(
      MediaType.ANIME, Set.of("status", "is_rewatching", "score", "num_watched_episodes", "priority", "num_times_rewatched",
          "rewatch_value", "tags", "comments", "start_date", "finish_date"),
      MediaType.MANGA, Set.of("status", "is_rereading", "score", "num_volumes_read", "num_chapters_read", "priority",
          "num_times_reread", "reread_value", "tags", "comments", "start_date", "finish_date"));
  /** The most MAL serves in one page. */
  static final int PAGE_SIZE = 1000;

  /**
   * Where MAL is, how fast to ask it, the User-Agent to send ({@link UserAgent}) and, when set, the MAL user name
   * the token must belong to ({@code myanimelist.username}).
   */
  public record Settings(String apiUrl, double requestsPerSecond, Upstream.Options options, String userAgent, String expectedUser) {
    public Settings {
      userAgent = userAgent == null || userAgent.isBlank() ? UserAgent.DEFAULT : userAgent;
    }

    public Settings(String apiUrl, double requestsPerSecond, Upstream.Options options) {
      this(apiUrl, requestsPerSecond, options, UserAgent.DEFAULT, null);
    }
  }

  private static final Duration USER_TTL = Duration.ofMinutes(5);
  private final WebClient web;
  private final Upstream upstream;
  private final String apiUrl;
  private final Settings settings;
  private String userName;
  private long userNameAt;
  private Future<String> userNameAsked;

  public MalClient(Vertx vertx, Settings settings, TokenSource tokens, RequestMetrics metrics) {
    this.settings = settings;
    this.web = WebClient.create(vertx, new WebClientOptions().setUserAgent(settings.userAgent()).setKeepAlive(true)
        .setIdleTimeout(60).setConnectTimeout(10_000));
    this.apiUrl = settings.apiUrl().endsWith("/") ? settings.apiUrl().substring(0, settings.apiUrl().length() - 1) : settings.apiUrl();
    RateLimiter limiter = RateLimiter.of(vertx, SERVICE, settings.requestsPerSecond(), Duration.ofSeconds(1));
    this.upstream = new Upstream(vertx, SERVICE, limiter, tokens, metrics, settings.options());
  }

  public void close() {
    web.close();
  }

  /** The entries of {@code type} that could be read; see {@link #fetch} for what is left out. */
  public Future<List<MalEntry>> list(MediaType type) {
    return fetch(type).map(FetchedLists.MalList::entries);
  }

  /**
   * The user's whole list of {@code type}. Fails as a whole if any page fails after retries or is damaged itself
   * (not JSON, cut off, no {@code data}, an item without a node and id, bad paging): all or nothing for the transport.
   * One entry that cannot be read (an unknown status word, a date that does not parse, a missing or mistyped field)
   * is left out and named, by title and MAL id with the reason, in {@link FetchedLists.MalList#skipped()}.
   */
  public Future<FetchedLists.MalList> fetch(MediaType type) {
    return checkUser().compose(v -> fetchList(type));
  }

  /**
   * The name of the signed-in MAL user ({@code GET /users/@me}). Fails INVALID, naming both names, when
   * {@code myanimelist.username} is set and names someone else: we never sync someone else's list.
   */
  public Future<String> userName() {
    if (userName != null && System.nanoTime() - userNameAt < USER_TTL.toNanos()) return Future.succeededFuture(userName);
    if (userNameAsked != null) return userNameAsked;  // anime and manga ask at once: one request serves both
    Future<String> asked = upstream.call("user", token -> web.getAbs(apiUrl + "/users/@me").bearerTokenAuthentication(token).send()
            .map(response -> {
              Object name = readBody(response).getValue("name");
              if (!(name instanceof String s) || s.isBlank()) {
                throw HttpFailures.malformed(SERVICE, new IllegalStateException("users/@me without a name"));
              }
              return s;
            }))
        .map(name -> {
          String expected = settings.expectedUser();
          if (expected != null && !expected.isBlank() && !expected.equalsIgnoreCase(name)) {
            throw new ServiceException(FailureKind.INVALID, "signed in to MyAnimeList as " + name + ", but myanimelist.username is "
                + expected + ": refusing to sync someone else's list");
          }
          userName = name;
          userNameAt = System.nanoTime();
          return name;
        })
        .eventually(() -> {
          userNameAsked = null;
          return Future.succeededFuture();
        });
    if (!asked.isComplete()) userNameAsked = asked;  // a failure before any request must not stick
    return asked;
  }

  /** Asks MAL who signed in only when {@code myanimelist.username} is set: otherwise a read costs no extra request. */
  private Future<Void> checkUser() {
    String expected = settings.expectedUser();
    return expected == null || expected.isBlank() ? Future.succeededFuture() : userName().mapEmpty();
  }

  private Future<FetchedLists.MalList> fetchList(MediaType type) {
    String first = apiUrl + "/users/@me/" + type.word() + "list?limit=" + PAGE_SIZE + "&nsfw=true&fields="
        + java.net.URLEncoder.encode(type == MediaType.ANIME ? ANIME_FIELDS : MANGA_FIELDS, java.nio.charset.StandardCharsets.UTF_8);
    List<MalEntry> entries = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    return page(type, first, entries, skipped).map(v -> new FetchedLists.MalList(entries, skipped));
  }

  private Future<Void> page(MediaType type, String url, List<MalEntry> into, List<String> skipped) {
    return upstream.call("list", token -> web.getAbs(url).bearerTokenAuthentication(token).send().map(response -> {
          JsonObject body = readBody(response);
          List<MalEntry> read = new ArrayList<>();
          List<String> odd = new ArrayList<>();
          String next;
          try {
            JsonArray data = body.getJsonArray("data");
            // a page without its data is damaged, not empty: reading on would hand over part of the list as the whole
            if (data == null) throw new IllegalStateException("a list page without data");
            for (Object item : data) {
              readItem(type, (JsonObject) item, read, odd);
            }
            JsonObject paging = body.getJsonObject("paging");
            next = paging == null ? null : paging.getString("next");
          } catch (ServiceException e) {
            throw e;
          } catch (RuntimeException e) {
            throw HttpFailures.malformed(SERVICE, e);
          }
          // a retried page must not add its entries twice: they join the list only once the page is read whole
          into.addAll(read);
          skipped.addAll(odd);
          return next;
        }))
        .compose(next -> next == null || next.isBlank() ? Future.succeededFuture() : page(type, next, into, skipped));
  }

  /** One item of a list page: read, or named in {@code skipped}; an item that names no title id is damage to the page. */
  private static void readItem(MediaType type, JsonObject item, List<MalEntry> into, List<String> skipped) {
    JsonObject node = item.getJsonObject("node");
    if (node == null) throw new IllegalStateException("a list item without its node");
    Integer raw = JsonNumbers.intOrNull(node, "id");
    if (raw == null || raw <= 0) throw new IllegalStateException("a list item without a title id");
    MalId id = new MalId(raw);
    try {
      into.add(parseStatus(type, id, node, item.getJsonObject("list_status", new JsonObject())));
    } catch (ServiceException | IllegalArgumentException | ClassCastException | java.time.DateTimeException e) {
      Object title = node.getValue("title");
      String why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
      skipped.add((title instanceof String t ? "'" + t + "' " : "") + "(MAL id " + id.value() + "): " + why);
    }
  }

  /** Updates (or creates) one entry with exactly {@code fields} (MAL's form names); answers the saved status. */
  public Future<MalEntry> save(MediaType type, MalId id, JsonObject fields) {
    return save(type, id, null, fields);
  }

  /**
   * As {@link #save(MediaType, MalId, JsonObject)}; {@code title} (may be null) names the entry in a failure. Only the
   * fields MAL documents for {@code type} are sent: MAL refuses a whole form that carries any other (MoeList#58), so
   * an unknown name fails here, before sending. A title MAL does not take yet (400 {@code invalid_content}) fails
   * {@link FailureKind#REFUSED}, which is never retried.
   */
  public Future<MalEntry> save(MediaType type, MalId id, String title, JsonObject fields) {
    String what = type.word() + " " + (title == null ? "" : "'" + title + "' ") + "(MAL id " + id.value() + ")";
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    for (var f : fields) {
      if (!FORM_FIELDS.get(type).contains(f.getKey())) {
        return Future.failedFuture(new ServiceException(FailureKind.INVALID, "not sending '" + f.getKey() + "' to MyAnimeList for "
            + what + ": MAL's list-status form has no such field and would refuse the whole save"));
      }
      form.set(f.getKey(), f.getValue() == null ? "" : String.valueOf(f.getValue()));
    }
    String url = apiUrl + "/" + type.word() + "/" + id.value() + "/my_list_status";
    return upstream.call("save", token -> web.patchAbs(url).bearerTokenAuthentication(token).sendForm(form)
        .map(response -> {
          if (response.statusCode() == 400 && "invalid_content".equals(errorCode(response.bodyAsString()))) {
            throw new ServiceException(FailureKind.REFUSED, "MyAnimeList will not take " + what + " on the list yet ("
                + errorMessage(response.bodyAsString()) + "); the title is probably not approved on MAL yet");
          }
          return parseStatus(type, id, null, readBody(response));
        }));
  }

  /** Deletes one entry; answers false when it was already absent (MAL's 404). */
  public Future<Boolean> delete(MediaType type, MalId id) {
    String url = apiUrl + "/" + type.word() + "/" + id.value() + "/my_list_status";
    return upstream.call("delete", token -> web.deleteAbs(url).bearerTokenAuthentication(token).send().map(response -> {
          readBody(response);
          return true;
        }))
        .recover(e -> e instanceof ServiceException s && s.kind() == FailureKind.NOT_FOUND
            ? Future.succeededFuture(false)
            : Future.failedFuture(e));
  }

  /** The body of a 2xx, or the typed failure MAL's answer means. */
  private static JsonObject readBody(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    String text = response.bodyAsString();
    if (status >= 200 && status < 300) {
      if (text == null || text.isBlank() || text.trim().startsWith("[")) return new JsonObject();
      try {
        return new JsonObject(text);
      } catch (RuntimeException e) {
        throw HttpFailures.malformed(SERVICE, e);
      }
    }
    String message = errorMessage(text);
    throw switch (status) {
      case 401 -> new ServiceException(FailureKind.AUTH_EXPIRED, "MyAnimeList refused the access token (" + message + ")");
      // MAL throttles with 403 {"error":"forbidden","message":""} and no Retry-After: Upstream then waits on its own
      // backoff; a 403 that persists past its throttled waits fails the request as RATE_LIMITED, not as a dead sign-in
      case 403 -> new ServiceException(FailureKind.RATE_LIMITED, "MyAnimeList answered 403 (" + message + "): throttled or blocked",
          HttpFailures.retryAfter(response), null);
      case 400 -> new ServiceException(FailureKind.INVALID, "MyAnimeList rejected the request: " + message);
      default -> HttpFailures.generic("MyAnimeList", response, message);
    };
  }

  private static String errorCode(String text) {
    try {
      return text == null || text.isBlank() ? "" : new JsonObject(text).getString("error", "");
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static String errorMessage(String text) {
    if (text == null || text.isBlank()) return "no details";
    try {
      JsonObject json = new JsonObject(text);
      String error = json.getString("error", "");
      String message = json.getString("message", "");
      return message.isBlank() ? error : error + ": " + message;
    } catch (RuntimeException e) {
      return text.length() > 200 ? text.substring(0, 200) : text;
    }
  }

  static MalEntry parseStatus(MediaType type, MalId id, JsonObject node, JsonObject s) {
    boolean anime = type == MediaType.ANIME;
    try {
      String updated = s.getString("updated_at");
      return new MalEntry(
          id, type,
          node == null ? null : node.getString("title"),
          node == null ? null : node.getString("media_type"),
          node == null ? null : positive(JsonNumbers.intOrNull(node, anime ? "num_episodes" : "num_chapters")),
          node == null || anime ? null : positive(JsonNumbers.intOrNull(node, "num_volumes")),
          node != null && node.getString("nsfw") != null && !"white".equals(node.getString("nsfw")),
          MalStatus.parse(s.getString("status")),
          JsonNumbers.intOr(s, "score", 0),
          JsonNumbers.intOr(s, anime ? "num_episodes_watched" : "num_chapters_read", 0),
          anime ? 0 : JsonNumbers.intOr(s, "num_volumes_read", 0),
          s.getBoolean(anime ? "is_rewatching" : "is_rereading", false),
          JsonNumbers.intOr(s, anime ? "num_times_rewatched" : "num_times_reread", 0),
          FuzzyDate.parseMal(s.getString("start_date")),
          FuzzyDate.parseMal(s.getString("finish_date")),
          // MAL answers comments HTML-escaped (&amp; &#039; &quot; &lt; &gt;) but takes raw text on writes
          StringEscapeUtils.unescapeHtml4(s.getString("comments", "")),
          s.getJsonArray("tags", new JsonArray()).stream().map(String::valueOf).toList(),
          JsonNumbers.intOr(s, "priority", 0),
          updated == null ? null : OffsetDateTime.parse(updated).toInstant(),
          // null (not absent) is MAL's answer for a date stored without a year: unknown, not cleared (mihon#3573)
          s.containsKey("start_date") && s.getValue("start_date") == null,
          s.containsKey("finish_date") && s.getValue("finish_date") == null);
    } catch (RuntimeException e) {
      throw HttpFailures.malformed(SERVICE, e);
    }
  }

  private static Integer positive(Integer value) {
    return value == null || value <= 0 ? null : value;
  }


  // ---- live sync ---------------------------------------------------------------------------------------------

  /** Entries per page of live sync's reads: an idle poll reads one short page. */
  static final int CHANGES_PAGE = 25;

  /**
   * The list of {@code type} newest update first ({@code sort=list_updated_at}), following paging.next only while
   * {@link ChangesSince#readsOn} says the page after can still hold news (null = no watermark yet: the first page only).
   */
  public Future<List<MalEntry>> changes(MediaType type, ChangesSince since) {
    String first = apiUrl + "/users/@me/" + type.word() + "list?sort=list_updated_at&limit=" + CHANGES_PAGE + "&nsfw=true&fields="
        + java.net.URLEncoder.encode(type == MediaType.ANIME ? ANIME_FIELDS : MANGA_FIELDS, java.nio.charset.StandardCharsets.UTF_8);
    return changesPage(type, first, since, new ArrayList<>());
  }

  private Future<List<MalEntry>> changesPage(MediaType type, String url, ChangesSince since, List<MalEntry> into) {
    return upstream.call("changes", token -> web.getAbs(url).bearerTokenAuthentication(token).send().map(response -> {
          JsonObject body = readBody(response);
          JsonArray data = body.getJsonArray("data");
          if (data == null) throw HttpFailures.malformed(SERVICE, new IllegalStateException("a list page without data"));
          List<MalEntry> page = new ArrayList<>();
          for (Object item : data) {
            // an entry that cannot be read is left to the full sync, which names it
            readItem(type, (JsonObject) item, page, new ArrayList<>());
          }
          into.addAll(page);
          JsonObject paging = body.getJsonObject("paging");
          String next = paging == null ? null : paging.getString("next");
          boolean more = next != null && !next.isBlank() && since != null
              && since.readsOn(page, e -> e.id().value(), e -> e.updatedAt() == null ? 0 : e.updatedAt().getEpochSecond());
          return more ? next : null;
        }))
        .compose(next -> next == null ? Future.succeededFuture(into) : changesPage(type, next, since, into));
  }

  /** One title's entry on the user's list ({@code GET /anime/{id}?fields=my_list_status{...}}), or null when not on it. */
  public Future<MalEntry> entry(MediaType type, MalId id) {
    String fields = (type == MediaType.ANIME ? ANIME_FIELDS : MANGA_FIELDS).replace("list_status{", "my_list_status{") + ",title";
    String url = apiUrl + "/" + type.word() + "/" + id.value() + "?fields="
        + java.net.URLEncoder.encode(fields, java.nio.charset.StandardCharsets.UTF_8);
    return upstream.call("entry", token -> web.getAbs(url).bearerTokenAuthentication(token).send().map(response -> {
          JsonObject node = readBody(response);
          JsonObject status = node.getJsonObject("my_list_status");
          return status == null ? null : parseStatus(type, id, node, status);
        }))
        .recover(e -> e instanceof ServiceException s && s.kind() == FailureKind.NOT_FOUND
            ? Future.succeededFuture(null)
            : Future.failedFuture(e));
  }
}
