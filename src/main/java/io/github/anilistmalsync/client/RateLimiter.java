package io.github.anilistmalsync.client;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paces requests to one upstream so that it never sees more than its limit: requests leave one at a time, at least
 * {@code window / permits} apart (plus a {@value #SAFETY_PERCENT}% margin for network jitter), measured from when
 * the previous one actually left — so a late timer (a busy machine, a GC pause) never lets a bunch go out together.
 * No window of that length holds more than {@code permits} requests and no burst trips a burst limiter. A
 * throttling answer ({@link #pauseFor}) holds every queued request back. Non-blocking: waiting is one Vert.x timer.
 */
public final class RateLimiter {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);
  static final int SAFETY_PERCENT = 5;

  private record Waiter(long askedNanos, Promise<Duration> granted) {}

  private final Vertx vertx;
  private final String name;
  private final long spacingNanos;
  private final Deque<Waiter> waiting = new ArrayDeque<>();
  private long lastGrantNanos;
  private long pausedUntilNanos;
  private boolean timerArmed;

  private RateLimiter(Vertx vertx, String name, Duration spacing) {
    this.vertx = vertx;
    this.name = name;
    this.spacingNanos = spacing.toNanos();
    this.lastGrantNanos = System.nanoTime() - spacingNanos;
    this.pausedUntilNanos = lastGrantNanos;
  }

  /** {@code permits} requests per {@code window}, evenly spaced. */
  public static RateLimiter of(Vertx vertx, String name, double permits, Duration window) {
    if (permits <= 0) throw new IllegalArgumentException(name + ": permits must be positive");
    return new RateLimiter(vertx, name, Duration.ofNanos((long) Math.ceil(window.toNanos() / permits * (100 + SAFETY_PERCENT) / 100.0)));
  }

  /** Completes when the caller may send one request, with how long it waited. First come, first served. */
  public Future<Duration> acquire() {
    Promise<Duration> granted = Promise.promise();
    synchronized (this) {
      waiting.add(new Waiter(System.nanoTime(), granted));
    }
    drain();
    return granted.future();
  }

  /** Grants the head of the queue if its turn has come, else arms one timer for when it will. */
  private void drain() {
    Waiter grant = null;
    long delayNanos = 0;
    synchronized (this) {
      if (waiting.isEmpty() || timerArmed) return;
      long now = System.nanoTime();
      long turn = Math.max(lastGrantNanos + spacingNanos, pausedUntilNanos);
      if (now >= turn) {
        grant = waiting.poll();
        lastGrantNanos = now;
      } else {
        timerArmed = true;
        delayNanos = turn - now;
      }
    }
    if (grant != null) {
      grant.granted().complete(Duration.ofNanos(System.nanoTime() - grant.askedNanos()));
      drain();
      return;
    }
    vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(delayNanos + 999_999)), id -> {
      synchronized (this) {
        timerArmed = false;
      }
      drain();
    });
  }

  /** Holds every request back for {@code pause} (a Retry-After, or a backoff after throttling). */
  public void pauseFor(Duration pause) {
    long until = System.nanoTime() + pause.toNanos();
    synchronized (this) {
      if (until > pausedUntilNanos) pausedUntilNanos = until;
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
