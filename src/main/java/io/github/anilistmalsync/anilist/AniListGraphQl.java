package io.github.anilistmalsync.anilist;

import static io.github.anilistmalsync.anilist.AniListClient.SERVICE;

import io.github.anilistmalsync.bus.FailureKind;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.client.HttpFailures;
import io.github.anilistmalsync.client.RateLimiter;
import io.github.anilistmalsync.client.RequestMetrics;
import io.github.anilistmalsync.client.TokenSource;
import io.github.anilistmalsync.client.Upstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;

/**
 * One GraphQL request to AniList and what its answer means, for {@link AniListClient}: the {@code data} of a good
 * answer, or the typed failure AniList's answer stands for (its 400 {@code validation}, "Invalid token", 401, 403 while
 * degraded). Owns the client's WebClient and sends every request through {@link Upstream}, telling the limiter what
 * AniList's rate-limit headers say; it knows no query, only how AniList answers.
 */
final class AniListGraphQl {
  /**
   * AniList's 400 {@code validation} answer, with the messages per field: NOT_FOUND when it only says an id we named
   * does not exist (AniList says "not found" to mutations this way, never with 404), INVALID otherwise.
   */
  static final class Validation extends ServiceException {
    final JsonObject fields;

    Validation(FailureKind kind, String message, JsonObject fields) {
      super(kind, message);
      this.fields = fields;
    }
  }

  /** A 401 to a request that was not itself a Viewer: not yet proof that the user is signed out (see {@link #post}). */
  private static final class NotAuthorised extends ServiceException {
    NotAuthorised(String message) {
      super(FailureKind.INVALID, message);
    }
  }

  private final WebClient web;
  private final Upstream upstream;
  private final String apiUrl;

  AniListGraphQl(Vertx vertx, AniListClient.Settings settings, TokenSource tokens, RequestMetrics metrics) {
    this.apiUrl = settings.apiUrl();
    this.web = WebClient.create(vertx, new WebClientOptions().setUserAgent(settings.userAgent()).setKeepAlive(true)
        .setIdleTimeout(60).setConnectTimeout(10_000));
    RateLimiter limiter = RateLimiter.of(vertx, SERVICE, settings.requestsPerMinute(), Duration.ofMinutes(1));
    this.upstream = new Upstream(vertx, SERVICE, limiter, tokens, metrics, settings.options());
  }

  void close() {
    web.close();
  }

  /**
   * Reading an answer's data can meet any shape (a field of the wrong type, a null where an object belongs): such a
   * failure is a malformed answer like a cut-off body, typed, not a stray ClassCastException.
   */
  static <T> Future<T> readable(Future<T> reading) {
    return reading.recover(e -> Future.failedFuture(e instanceof ServiceException ? e : HttpFailures.malformed(SERVICE, e)));
  }

  Future<JsonObject> post(String kind, String query, JsonObject variables) {
    return post(kind, query, variables, true);
  }

  /**
   * One GraphQL request, with the user's token when {@code signed}. A 401 to anything but Viewer does not by itself
   * mean the one-year token is dead (AniList answers 401 "You are not authorized to modify this MediaList" too):
   * Viewer is asked, and only if AniList refuses the token there is the user signed out.
   */
  Future<JsonObject> post(String kind, String query, JsonObject variables, boolean signed) {
    JsonObject body = new JsonObject().put("query", query).put("variables", variables);
    boolean isViewer = "viewer".equals(kind);
    Future<JsonObject> answer = upstream.call(kind, token -> {
      var request = web.postAbs(apiUrl).putHeader("Accept", "application/json");
      if (signed) request.bearerTokenAuthentication(token);
      return request.sendJsonObject(body).map(response -> readData(response, isViewer));
    });
    return answer.recover(e -> e instanceof NotAuthorised refusal
        ? post("viewer", AniListQueries.VIEWER, new JsonObject()).compose(signedIn -> Future.failedFuture(
            new ServiceException(FailureKind.INVALID, refusal.getMessage() + "; the token itself is still good")))
        : Future.failedFuture(e));
  }

  /** The {@code data} of a good answer, or the typed failure AniList's answer means. */
  private JsonObject readData(HttpResponse<Buffer> response, boolean isViewer) {
    observeLimit(response);
    int status = response.statusCode();
    JsonObject json;
    try {
      json = response.bodyAsJsonObject();
    } catch (RuntimeException e) {
      if (status == 200) throw HttpFailures.malformed(SERVICE, e);
      json = null;
    }
    JsonArray errors = json == null ? null : json.getJsonArray("errors");
    JsonObject first = errors == null || errors.isEmpty() ? new JsonObject() : errors.getJsonObject(0);
    String message = first.getString("message", "");
    if (status == 200 && (errors == null || errors.isEmpty())) {
      if (json == null || json.getJsonObject("data") == null) throw HttpFailures.malformed(SERVICE, new IllegalStateException("no data"));
      return json.getJsonObject("data");
    }
    if ((status == 400 && "Invalid token".equalsIgnoreCase(message)) || (status == 401 && isViewer)) {
      throw new ServiceException(FailureKind.AUTH_EXPIRED, "AniList refused the access token (" + message + ")");
    }
    if (status == 401) throw new NotAuthorised("AniList refused the request: " + (message.isBlank() ? "401" : message));
    if (status == 400 && "validation".equalsIgnoreCase(message)) throw validation(first.getValue("validation"));
    if (status == 404) throw new ServiceException(FailureKind.NOT_FOUND, "AniList: " + (message.isBlank() ? "Not Found." : message));
    if (status == 403) throw new ServiceException(FailureKind.TRANSIENT, "AniList answered 403 (" + message + "); it does so while degraded");
    if (status == 200) throw new ServiceException(FailureKind.INVALID, "AniList answered with errors: " + message);
    throw HttpFailures.generic("AniList", response, message);
  }

  /**
   * A validation answer: NOT_FOUND when every message says an id or media id we named is not AniList's ("The
   * selected id is invalid."), else INVALID with AniList's messages per field.
   */
  private static Validation validation(Object raw) {
    JsonObject fields = raw instanceof JsonObject o ? o : new JsonObject();
    boolean notFound = !fields.isEmpty() && fields.fieldNames().stream().allMatch(f -> (f.equals("id") || f.equals("mediaId"))
        && String.valueOf(fields.getValue(f)).toLowerCase(java.util.Locale.ROOT).contains("is invalid"));
    return notFound
        ? new Validation(FailureKind.NOT_FOUND, "AniList: " + (fields.containsKey("id") ? "no such list entry" : "no such media")
            + " " + fields.encode(), fields)
        : new Validation(FailureKind.INVALID, "AniList rejected the values: " + fields.encode(), fields);
  }

  private void observeLimit(HttpResponse<Buffer> response) {
    String remaining = response.getHeader("X-RateLimit-Remaining");
    if (remaining == null) return;
    try {
      String reset = response.getHeader("X-RateLimit-Reset");
      Duration untilReset = reset == null ? null : Duration.ofSeconds(Long.parseLong(reset) - System.currentTimeMillis() / 1000);
      upstream.limiter().observeRemaining(Integer.parseInt(remaining.trim()), untilReset);
    } catch (NumberFormatException ignored) {
      // a header we cannot read tells us nothing; the limiter's own pacing still holds
    }
  }
}
