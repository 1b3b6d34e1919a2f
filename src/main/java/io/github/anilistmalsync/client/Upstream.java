package io.github.anilistmalsync.client;

import io.github.anilistmalsync.bus.FailureKind;
import io.github.anilistmalsync.bus.ServiceException;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything between a client's wish to send one request and the upstream answering it: the rate limiter, a
 * deadline on the whole exchange, the circuit breaker, retries with backoff and jitter for transient failures,
 * waiting out throttling, and one token refresh after an auth failure. Each client owns one per upstream.
 *
 * <p>Every request the client sends through here is safe to repeat: list reads are reads, MAL's list-status
 * PATCH and AniList's SaveMediaListEntry are upserts keyed by the media (a repeated create finds the entry and
 * updates it), and deletes treat "already absent" as success.
 */
public final class Upstream {
  private static final Logger LOG = LoggerFactory.getLogger(Upstream.class);

  /** Retry and deadline settings. */
  public record Options(
      int maxAttempts,
      Duration baseBackoff,
      Duration maxBackoff,
      Duration deadline,
      int maxThrottledWaits,
      int breakerMaxFailures,
      Duration breakerReset) {

    public static Options defaults() {
      return new Options(4, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(30), 5, 8, Duration.ofSeconds(30));
    }

    public Options withBackoff(Duration base, Duration max) {
      return new Options(maxAttempts, base, max, deadline, maxThrottledWaits, breakerMaxFailures, breakerReset);
    }

    public Options withBreaker(int maxFailures, Duration reset) {
      return new Options(maxAttempts, baseBackoff, maxBackoff, deadline, maxThrottledWaits, maxFailures, reset);
    }

    public Options withDeadline(Duration d) {
      return new Options(maxAttempts, baseBackoff, maxBackoff, d, maxThrottledWaits, breakerMaxFailures, breakerReset);
    }
  }

  private final Vertx vertx;
  private final String service;
  private final RateLimiter limiter;
  private final TokenSource tokens;
  private final RequestMetrics metrics;
  private final Options options;
  private final CircuitBreaker breaker;

  public Upstream(Vertx vertx, String service, RateLimiter limiter, TokenSource tokens, RequestMetrics metrics, Options options) {
    this.vertx = vertx;
    this.service = service;
    this.limiter = limiter;
    this.tokens = tokens;
    this.metrics = metrics;
    this.options = options;
    this.breaker = CircuitBreaker.create(service, vertx, new CircuitBreakerOptions()
            .setMaxFailures(options.breakerMaxFailures())
            .setResetTimeout(options.breakerReset().toMillis())
            .setTimeout(-1)
            .setNotificationAddress(null))
        .openHandler(v -> LOG.warn("{}: circuit breaker opened after repeated failures; requests fail fast for {} s",
            service, options.breakerReset().toSeconds()))
        .halfOpenHandler(v -> LOG.info("{}: circuit breaker half-open, trying one request", service))
        .closeHandler(v -> LOG.info("{}: circuit breaker closed, upstream answers again", service));
    breaker.failurePolicy(f -> f.failed() && countsAgainstBreaker(f.cause()));
  }

  public RateLimiter limiter() {
    return limiter;
  }

  /**
   * Sends one logical request. {@code attempt} sends it once with the given access token and fails with a
   * {@link ServiceException} that classifies the answer.
   */
  public <T> Future<T> call(String kind, Function<String, Future<T>> attempt) {
    return tokens.token().compose(token -> send(kind, attempt, token, 1, 0, false));
  }

  private <T> Future<T> send(String kind, Function<String, Future<T>> attempt, String token, int attemptNo, int throttledWaits, boolean refreshed) {
    return limiter.acquire()
        .compose(waited -> {
          metrics.waited(service, waited);
          return breaker.<T>execute(() -> attempt.apply(token).timeout(options.deadline().toMillis(), TimeUnit.MILLISECONDS))
              .onSuccess(result -> metrics.record(service, kind, "ok"));
        })
        .recover(raw -> {
          if (raw instanceof OpenCircuitException && breaker.state() == io.vertx.circuitbreaker.CircuitBreakerState.HALF_OPEN) {
            // one trial request is out; wait for its verdict without spending an attempt (an open breaker fails below)
            return delay(Duration.ofMillis(Math.max(50, options.baseBackoff().toMillis())))
                .compose(v -> send(kind, attempt, token, attemptNo, throttledWaits, refreshed));
          }
          ServiceException failure = classify(raw);
          metrics.record(service, kind, failure.kind().name().toLowerCase(Locale.ROOT));
          return switch (failure.kind()) {
            case AUTH_EXPIRED -> refreshed
                ? Future.failedFuture(failure)
                : tokens.refresh(token).compose(fresh -> send(kind, attempt, fresh, attemptNo, throttledWaits, true));
            case RATE_LIMITED -> {
              if (throttledWaits >= options.maxThrottledWaits()) yield Future.failedFuture(failure);
              Duration wait = failure.retryAfter() != null ? failure.retryAfter() : backoff(throttledWaits + 1);
              LOG.warn("{}: throttled on {} ({}); waiting {} s before trying again", service, kind, failure.getMessage(), wait.toSeconds());
              limiter.pauseFor(wait);
              yield send(kind, attempt, token, attemptNo, throttledWaits + 1, refreshed);
            }
            case TRANSIENT -> {
              if (attemptNo >= options.maxAttempts()) {
                yield Future.failedFuture(new ServiceException(FailureKind.TRANSIENT,
                    failure.getMessage() + " (gave up after " + attemptNo + " attempts)", null, failure));
              }
              Duration wait = backoff(attemptNo);
              LOG.info("{}: {} failed ({}), attempt {} of {}; retrying in {} ms",
                  service, kind, failure.getMessage(), attemptNo, options.maxAttempts(), wait.toMillis());
              yield delay(wait).compose(v -> send(kind, attempt, token, attemptNo + 1, throttledWaits, refreshed));
            }
            default -> Future.failedFuture(failure);
          };
        });
  }

  private ServiceException classify(Throwable raw) {
    if (raw instanceof ServiceException e) return e;
    if (raw instanceof OpenCircuitException) {
      return new ServiceException(FailureKind.UNAVAILABLE, service + " is failing repeatedly; the circuit breaker is open");
    }
    if (raw instanceof TimeoutException || raw instanceof io.netty.handler.timeout.TimeoutException
        || (raw instanceof VertxException && String.valueOf(raw.getMessage()).toLowerCase(Locale.ROOT).contains("timeout"))) {
      return new ServiceException(FailureKind.TRANSIENT, service + " did not answer within the deadline", null, raw);
    }
    if (raw instanceof java.io.IOException || raw instanceof VertxException || raw instanceof io.vertx.core.http.HttpClosedException) {
      return new ServiceException(FailureKind.TRANSIENT, service + " connection failed: " + raw.getMessage(), null, raw);
    }
    return new ServiceException(FailureKind.TRANSIENT, service + " request failed: " + raw, null, raw);
  }

  private static boolean countsAgainstBreaker(Throwable failure) {
    if (failure instanceof ServiceException e) {
      return e.kind() == FailureKind.TRANSIENT || e.kind() == FailureKind.UNAVAILABLE;
    }
    return true;
  }

  /** Exponential backoff with full jitter, bounded by maxBackoff. */
  private Duration backoff(int attemptNo) {
    long base = options.baseBackoff().toMillis();
    long cap = Math.min(options.maxBackoff().toMillis(), base << Math.min(attemptNo - 1, 20));
    long jittered = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
    return Duration.ofMillis(Math.max(1, jittered));
  }

  private Future<Void> delay(Duration d) {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(Math.max(1, d.toMillis()), id -> p.complete());
    return p.future();
  }
}
