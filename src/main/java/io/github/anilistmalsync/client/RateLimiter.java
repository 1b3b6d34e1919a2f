package io.github.anilistmalsync.client;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paces requests to one upstream so that it never sees more than its limit: requests leave evenly spaced
 * ({@code window / permits} apart, plus a {@value #SAFETY_PERCENT}% margin so that network jitter cannot squeeze one
 * request too many into the upstream's window), so no window of that length ever holds more than {@code permits} of
 * them and no burst trips a burst limiter. A throttling answer ({@link #pauseFor}) holds every queued request back.
 * Non-blocking: waiting is a Vert.x timer.
 */
public final class RateLimiter {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);
  static final int SAFETY_PERCENT = 5;

  private final Vertx vertx;
  private final String name;
  private final long spacingNanos;
  private long nextSlotNanos;
  private long pausedUntilNanos;

  private RateLimiter(Vertx vertx, String name, Duration spacing) {
    this.vertx = vertx;
    this.name = name;
    this.spacingNanos = spacing.toNanos();
    this.nextSlotNanos = System.nanoTime();
    this.pausedUntilNanos = Long.MIN_VALUE;
  }

  /** {@code permits} requests per {@code window}, evenly spaced. */
  public static RateLimiter of(Vertx vertx, String name, double permits, Duration window) {
    if (permits <= 0) throw new IllegalArgumentException(name + ": permits must be positive");
    return new RateLimiter(vertx, name, Duration.ofNanos((long) Math.ceil(window.toNanos() / permits * (100 + SAFETY_PERCENT) / 100.0)));
  }

  /** The time between two requests. */
  public Duration spacing() {
    return Duration.ofNanos(spacingNanos);
  }

  /**
   * Completes when the caller may send one request, with how long it waited. Slots are handed out in the order
   * asked; a pause that starts while a caller waits pushes it back.
   */
  public Future<Duration> acquire() {
    long asked = System.nanoTime();
    Promise<Duration> granted = Promise.promise();
    waitForSlot(asked, granted);
    return granted.future();
  }

  private void waitForSlot(long asked, Promise<Duration> granted) {
    long now = System.nanoTime();
    long slot;
    synchronized (this) {
      slot = Math.max(now, Math.max(nextSlotNanos, pausedUntilNanos));
      nextSlotNanos = slot + spacingNanos;
    }
    long delayNanos = slot - now;
    if (delayNanos <= 0) {
      granted.complete(Duration.ofNanos(now - asked));
      return;
    }
    long delayMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(delayNanos + 999_999));
    vertx.setTimer(delayMs, id -> {
      boolean pausedMeanwhile;
      synchronized (this) {
        pausedMeanwhile = System.nanoTime() < pausedUntilNanos;
      }
      if (pausedMeanwhile) {
        waitForSlot(asked, granted);
      } else {
        granted.complete(Duration.ofNanos(System.nanoTime() - asked));
      }
    });
  }

  /** Holds every request back for {@code pause} (a Retry-After, or a backoff after throttling). */
  public void pauseFor(Duration pause) {
    long until = System.nanoTime() + pause.toNanos();
    synchronized (this) {
      if (until > pausedUntilNanos) pausedUntilNanos = until;
      if (nextSlotNanos < until) nextSlotNanos = until;
    }
    LOG.info("{}: pausing requests for {} s", name, pause.toSeconds());
  }

  /**
   * Reads the upstream's own account of what is left. When it says the next request would be refused, wait for
   * its reset (or a whole minute when it does not say when that is) instead of spending a request on a 429.
   */
  public void observeRemaining(Integer remaining, Duration untilReset) {
    if (remaining != null && remaining <= 0) {
      pauseFor(untilReset != null && !untilReset.isNegative() ? untilReset : Duration.ofMinutes(1));
    }
  }
}
