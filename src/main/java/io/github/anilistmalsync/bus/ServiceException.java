package io.github.anilistmalsync.bus;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import java.time.Duration;

/**
 * A typed failure of a request to AniList, MAL or another verticle. The message names the service and what went
 * wrong; it never contains a token. Travels over the bus as {@code msg.fail(kind.code(), message)}.
 */
public class ServiceException extends RuntimeException {
  private final FailureKind kind;
  private final Duration retryAfter;

  public ServiceException(FailureKind kind, String message) {
    this(kind, message, null, null);
  }

  public ServiceException(FailureKind kind, String message, Duration retryAfter, Throwable cause) {
    super(message, cause, false, false);
    this.kind = kind;
    this.retryAfter = retryAfter;
  }

  public FailureKind kind() {
    return kind;
  }

  /** How long the upstream asked us to wait, or null when it did not say. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** Answers a bus request with this failure. Any other throwable becomes INTERNAL with its message. */
  public static void reply(Message<?> msg, Throwable failure) {
    ServiceException e = from(failure);
    msg.fail(e.kind.code(), e.getMessage());
  }

  /** Turns whatever a bus request or upstream call failed with back into a typed failure. */
  public static ServiceException from(Throwable failure) {
    if (failure instanceof ServiceException e) return e;
    if (failure instanceof ReplyException r) {
      return switch (r.failureType()) {
        case TIMEOUT -> new ServiceException(FailureKind.TRANSIENT, "no answer in time: " + r.getMessage());
        case NO_HANDLERS -> new ServiceException(FailureKind.UNAVAILABLE, "nobody listens: " + r.getMessage());
        default -> new ServiceException(FailureKind.fromCode(r.failureCode()), r.getMessage());
      };
    }
    String text = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
    return new ServiceException(FailureKind.INTERNAL, text, null, failure);
  }
}
