package io.github.anilistmalsync.web;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Slows down password guessing per client address: each failure delays the answer twice as long as the previous
 * one (capped), and after {@code maxFailures} failures the address is locked out for {@code lockoutMs}. An attempt is
 * counted as a failure <em>before</em> its password is checked ({@link #begin}) and at most {@link #MAX_IN_FLIGHT}
 * attempts per address are checked at a time, so guesses sent in parallel cannot all be checked while the first
 * ones are still being hashed. Event-loop confined (no locks); the caller applies the delay with a timer.
 */
final class LoginThrottle {
  private static final long FORGET_AFTER_MS = 15 * 60_000L;
  private static final long MAX_DELAY_MS = 4_000L;
  /** Bounds the memory an attacker with many addresses can make us use. */
  private static final int MAX_CLIENTS = 10_000;
  /** Passwords of one address checked at the same time; more are refused as throttled. */
  static final int MAX_IN_FLIGHT = 2;
  /** What a refused parallel attempt is told to wait. */
  private static final long BUSY_WAIT_MS = 1_000L;

  private final int maxFailures;
  private final long lockoutMs;
  private final long baseDelayMs;
  private final Map<String, Failures> byClient = new HashMap<>();

  private static final class Failures {
    int count;
    long lastAt;
    long lockedUntil;
    int inFlight;
  }

  LoginThrottle(int maxFailures, long lockoutMs, long baseDelayMs) {
    this.maxFailures = maxFailures;
    this.lockoutMs = lockoutMs;
    this.baseDelayMs = baseDelayMs;
  }

  /** Milliseconds the client must still wait before a password is even checked; 0 when it may try. */
  long lockedFor(String client, long now) {
    Failures f = byClient.get(client);
    return f == null ? 0 : Math.max(0, f.lockedUntil - now);
  }

  /** Records a failure and answers how long to hold back the refusal. */
  long failed(String client, long now) {
    forgetOld(now);
    if (byClient.size() >= MAX_CLIENTS && !byClient.containsKey(client)) {
      byClient.values().removeIf(old -> old.lockedUntil <= now);
    }
    Failures f = byClient.computeIfAbsent(client, k -> new Failures());
    if (f.lockedUntil != 0 && f.lockedUntil <= now) {
      f.count = 0;
      f.lockedUntil = 0;
    }
    f.count++;
    f.lastAt = now;
    if (f.count >= maxFailures) {
      f.lockedUntil = now + lockoutMs;
    }
    long delay = baseDelayMs << Math.min(f.count - 1, 20);
    return Math.min(delay, MAX_DELAY_MS);
  }

  void succeeded(String client) {
    byClient.remove(client);
  }

  /**
   * Asks to check one password from {@code client}: answers 0 when it may be checked now — the attempt is then
   * already counted as a failure, until {@link #finish} says it was right — or the milliseconds to wait.
   */
  long begin(String client, long now) {
    long locked = lockedFor(client, now);
    if (locked > 0) {
      return locked;
    }
    Failures f = byClient.get(client);
    if (f != null && f.inFlight >= MAX_IN_FLIGHT) {
      return BUSY_WAIT_MS;
    }
    failed(client, now);
    byClient.get(client).inFlight++;
    return 0;
  }

  /** Ends an attempt {@link #begin} let through; answers how long to hold back a refusal (0 after a success). */
  long finish(String client, boolean right) {
    Failures f = byClient.get(client);
    if (right) {
      byClient.remove(client);
      return 0;
    }
    if (f == null) {
      return baseDelayMs;
    }
    f.inFlight = Math.max(0, f.inFlight - 1);
    return Math.min(baseDelayMs << Math.min(Math.max(f.count - 1, 0), 20), MAX_DELAY_MS);
  }

  private void forgetOld(long now) {
    for (Iterator<Failures> it = byClient.values().iterator(); it.hasNext(); ) {
      Failures f = it.next();
      if (now - f.lastAt > FORGET_AFTER_MS && f.lockedUntil <= now) {
        it.remove();
      }
    }
  }
}
