package io.github.anilistmalsync.sandbox;

import io.vertx.core.http.HttpServerRequest;
import java.util.function.Predicate;

/**
 * A failure a fake server injects into the requests that match: an HTTP status with a JSON (or empty) body, an HTML
 * page, a delay before the normal answer, a dropped connection, or a body cut off half way.
 */
public record Fault(Kind kind, int status, String body, long delayMs, Predicate<HttpServerRequest> matches) {

  public enum Kind { STATUS, HTML, DELAY, DROP, MALFORMED }

  public static Fault status(int status, String body) {
    return new Fault(Kind.STATUS, status, body, 0, r -> true);
  }

  /** An HTML page with {@code status}, as a ban, a CDN or a maintenance page sends instead of the API's JSON. */
  public static Fault html(int status, String page) {
    return new Fault(Kind.HTML, status, page, 0, r -> true);
  }

  public static Fault delay(long ms) {
    return new Fault(Kind.DELAY, 0, null, ms, r -> true);
  }

  public static Fault drop() {
    return new Fault(Kind.DROP, 0, null, 0, r -> true);
  }

  public static Fault malformed() {
    return new Fault(Kind.MALFORMED, 200, null, 0, r -> true);
  }

  /** The same fault, only for requests that match. */
  public Fault when(Predicate<HttpServerRequest> predicate) {
    return new Fault(kind, status, body, delayMs, predicate);
  }
}
