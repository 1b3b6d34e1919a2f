package io.github.anilistmalsync.mal;

import io.github.anilistmalsync.bus.FailureKind;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.client.HttpFailures;
import io.github.anilistmalsync.model.JsonNumbers;
import io.github.anilistmalsync.client.RateLimiter;
import io.github.anilistmalsync.client.RequestMetrics;
import io.github.anilistmalsync.client.TokenSource;
import io.github.anilistmalsync.client.Upstream;
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
  /** The most MAL serves in one page. */
  static final int PAGE_SIZE = 1000;

  /** Where MAL is and how fast to ask it. */
  public record Settings(String apiUrl, double requestsPerSecond, Upstream.Options options) {}

  private final WebClient web;
  private final Upstream upstream;
  private final String apiUrl;

  public MalClient(Vertx vertx, Settings settings, TokenSource tokens, RequestMetrics metrics) {
    this.web = WebClient.create(vertx, new WebClientOptions().setUserAgent("anilist-mal-sync").setKeepAlive(true)
        .setIdleTimeout(60).setConnectTimeout(10_000));
    this.apiUrl = settings.apiUrl().endsWith("/") ? settings.apiUrl().substring(0, settings.apiUrl().length() - 1) : settings.apiUrl();
    RateLimiter limiter = RateLimiter.of(vertx, SERVICE, settings.requestsPerSecond(), Duration.ofSeconds(1));
    this.upstream = new Upstream(vertx, SERVICE, limiter, tokens, metrics, settings.options());
  }

  public void close() {
    web.close();
  }

  /** The user's whole list of {@code type}; fails as a whole if any page fails after retries. */
  public Future<List<MalEntry>> list(MediaType type) {
    String first = apiUrl + "/users/@me/" + type.word() + "list?limit=" + PAGE_SIZE + "&nsfw=true&fields="
        + java.net.URLEncoder.encode(type == MediaType.ANIME ? ANIME_FIELDS : MANGA_FIELDS, java.nio.charset.StandardCharsets.UTF_8);
    return page(type, first, new ArrayList<>());
  }

  private Future<List<MalEntry>> page(MediaType type, String url, List<MalEntry> into) {
    return upstream.call("list", token -> web.getAbs(url).bearerTokenAuthentication(token).send().map(response -> {
          JsonObject body = readBody(response);
          JsonArray data = body.getJsonArray("data");
          // a page without its data is damaged, not empty: reading on would hand over part of the list as the whole
          if (data == null) throw HttpFailures.malformed(SERVICE, new IllegalStateException("a list page without data"));
          for (Object item : data) {
            into.add(parseItem(type, (JsonObject) item));
          }
          JsonObject paging = body.getJsonObject("paging");
          return paging == null ? null : paging.getString("next");
        }))
        .compose(next -> next == null || next.isBlank() ? Future.succeededFuture(into) : page(type, next, into));
  }

  /** Updates (or creates) one entry with exactly {@code fields} (MAL's form names); answers the saved status. */
  public Future<MalEntry> save(MediaType type, MalId id, JsonObject fields) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    fields.forEach(f -> form.set(f.getKey(), f.getValue() == null ? "" : String.valueOf(f.getValue())));
    String url = apiUrl + "/" + type.word() + "/" + id.value() + "/my_list_status";
    return upstream.call("save", token -> web.patchAbs(url).bearerTokenAuthentication(token).sendForm(form)
        .map(response -> parseStatus(type, id, null, readBody(response))));
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
      case 403 -> new ServiceException(FailureKind.RATE_LIMITED, "MyAnimeList answered 403 (throttled or blocked)", HttpFailures.retryAfter(response), null);
      case 400 -> new ServiceException(FailureKind.INVALID, "MyAnimeList rejected the request: " + message);
      default -> HttpFailures.generic("MyAnimeList", response, message);
    };
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

  private static MalEntry parseItem(MediaType type, JsonObject item) {
    try {
      JsonObject node = item.getJsonObject("node");
      return parseStatus(type, new MalId(JsonNumbers.intOr(node, "id", 0)), node, item.getJsonObject("list_status", new JsonObject()));
    } catch (ServiceException e) {
      throw e;
    } catch (RuntimeException e) {
      throw HttpFailures.malformed(SERVICE, e);
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
          s.getString("comments", ""),
          s.getJsonArray("tags", new JsonArray()).stream().map(String::valueOf).toList(),
          JsonNumbers.intOr(s, "priority", 0),
          updated == null ? null : OffsetDateTime.parse(updated).toInstant());
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
   * The list of {@code type} newest update first ({@code sort=list_updated_at}), following paging.next only while a
   * page is full and still ends at or after {@code since} (null = no watermark yet: the first page only).
   */
  public Future<List<MalEntry>> changes(MediaType type, java.time.Instant since) {
    String first = apiUrl + "/users/@me/" + type.word() + "list?sort=list_updated_at&limit=" + CHANGES_PAGE + "&nsfw=true&fields="
        + java.net.URLEncoder.encode(type == MediaType.ANIME ? ANIME_FIELDS : MANGA_FIELDS, java.nio.charset.StandardCharsets.UTF_8);
    return changesPage(type, first, since, new ArrayList<>());
  }

  private Future<List<MalEntry>> changesPage(MediaType type, String url, java.time.Instant since, List<MalEntry> into) {
    return upstream.call("changes", token -> web.getAbs(url).bearerTokenAuthentication(token).send().map(response -> {
          JsonObject body = readBody(response);
          JsonArray data = body.getJsonArray("data");
          if (data == null) throw HttpFailures.malformed(SERVICE, new IllegalStateException("a list page without data"));
          java.time.Instant oldest = null;
          for (Object item : data) {
            MalEntry e = parseItem(type, (JsonObject) item);
            into.add(e);
            if (e.updatedAt() != null && (oldest == null || e.updatedAt().isBefore(oldest))) oldest = e.updatedAt();
          }
          JsonObject paging = body.getJsonObject("paging");
          String next = paging == null ? null : paging.getString("next");
          boolean more = next != null && !next.isBlank() && since != null && oldest != null && !oldest.isBefore(since);
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
