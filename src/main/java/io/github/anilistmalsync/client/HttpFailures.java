package io.github.anilistmalsync.client;

import io.github.anilistmalsync.bus.FailureKind;
import io.github.anilistmalsync.bus.ServiceException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;

/** Turns an upstream's HTTP answer into a typed failure; shared by both clients so they classify alike. */
public final class HttpFailures {
  private HttpFailures() {}

  /** Seconds from a Retry-After header, or null when absent or not a number. */
  public static Duration retryAfter(HttpResponse<?> response) {
    String value = response.getHeader("Retry-After");
    if (value == null) return null;
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** 5xx and anything unexpected is transient; 429 is throttling. Callers handle their service's specific codes first. */
  public static ServiceException generic(String service, HttpResponse<?> response, String detail) {
    int status = response.statusCode();
    String what = service + " answered HTTP " + status + (detail == null || detail.isBlank() ? "" : ": " + detail);
    if (status == 429) return new ServiceException(FailureKind.RATE_LIMITED, what, retryAfter(response), null);
    if (status == 404) return new ServiceException(FailureKind.NOT_FOUND, what);
    if (status >= 400 && status < 500) return new ServiceException(FailureKind.INVALID, what);
    return new ServiceException(FailureKind.TRANSIENT, what);
  }

  /** A 200 whose body could not be read is worth retrying: a proxy or the upstream cut it off. */
  public static ServiceException malformed(String service, Throwable cause) {
    return new ServiceException(FailureKind.TRANSIENT, service + " sent a response that could not be read (" + cause.getMessage() + ")", null, cause);
  }

  static boolean isJson(HttpResponse<?> response) {
    String type = response.getHeader(HttpHeaders.CONTENT_TYPE.toString());
    return type != null && type.contains("json");
  }
}
