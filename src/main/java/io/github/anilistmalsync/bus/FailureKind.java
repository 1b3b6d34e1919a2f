package io.github.anilistmalsync.bus;

/**
 * What kind of failure a request met, so the caller can act on it: refresh and retry, wait, give up, or report.
 * The code travels as the event-bus failure code ({@code msg.fail(kind.code(), text)}).
 */
public enum FailureKind {
  /** The token was refused (AniList 400 "Invalid token" or 401; MAL 401 invalid_token), or none is available. */
  AUTH_EXPIRED(401),
  /** The entry or media does not exist upstream. */
  NOT_FOUND(404),
  /** The upstream rejected what we sent (validation), or the request itself is wrong. */
  INVALID(400),
  /**
   * The service will not take this one entry as sent, for a reason that retrying now cannot change (MAL's
   * {@code invalid_content} for a title not approved yet). A per-entry error: the run goes on without it.
   */
  REFUSED(422),
  /** Throttled (429, or MAL's 403); carries Retry-After when the upstream gave one. */
  RATE_LIMITED(429),
  /** Worth retrying: 5xx, timeouts, dropped connections, malformed responses. */
  TRANSIENT(503),
  /** Not worth retrying now: the circuit breaker is open or retries are exhausted. */
  UNAVAILABLE(502),
  /** A bug or an unexpected state on our side. */
  INTERNAL(500);

  private final int code;

  FailureKind(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static FailureKind fromCode(int code) {
    for (FailureKind k : values()) {
      if (k.code == code) return k;
    }
    return INTERNAL;
  }
}
