package io.github.anilistmalsync.client;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Counts every upstream request by service, kind (e.g. "list", "save") and outcome ("ok", or a
 * {@link io.github.anilistmalsync.bus.FailureKind} in lower case), and the time spent waiting on rate limits.
 */
public final class RequestMetrics {
  public static final String REQUESTS = "sync_api_requests";
  public static final String RATE_LIMIT_WAIT = "sync_rate_limit_wait";

  private final MeterRegistry registry;

  public RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void record(String service, String kind, String outcome) {
    registry.counter(REQUESTS, "service", service, "kind", kind, "outcome", outcome).increment();
  }

  public void waited(String service, Duration waited) {
    Timer.builder(RATE_LIMIT_WAIT).tag("service", service).register(registry).record(waited);
  }

  /** How many requests of that service, kind and outcome were counted (tests and the benchmark read it). */
  public long count(String service, String kind, String outcome) {
    Counter c = registry.find(REQUESTS).tags("service", service, "kind", kind, "outcome", outcome).counter();
    return c == null ? 0 : (long) c.count();
  }
}
