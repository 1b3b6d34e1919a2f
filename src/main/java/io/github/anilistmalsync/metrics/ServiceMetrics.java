package io.github.anilistmalsync.metrics;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * The service's metrics in one Prometheus registry, joined to Micrometer's global registry so every part records
 * with plain {@code Metrics.counter(...)} and {@code /metrics} scrapes them all. The names are the ones the README
 * lists; none carries a token or a title.
 */
public final class ServiceMetrics {
  public static final String RUNS = "sync_runs";
  public static final String RUN_DURATION = "sync_run_duration";
  public static final String FIELDS_CHANGED = "sync_fields_changed";
  public static final String ENTRIES_CHANGED = "sync_entries_changed";
  public static final String TOKEN_DAYS_LEFT = "sync_token_days_left";

  private static final PrometheusMeterRegistry PROMETHEUS = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  static {
    Metrics.addRegistry(PROMETHEUS);
  }

  private ServiceMetrics() {}

  /** The Prometheus text exposition of everything recorded so far. */
  public static String scrape() {
    return PROMETHEUS.scrape();
  }

  public static void runFinished(String result, Duration took) {
    Metrics.counter(RUNS, "result", result).increment();
    Metrics.timer(RUN_DURATION).record(took);
  }

  /** One entry written: its type, the side written, the kind (create/update/delete), and each field changed. */
  public static void entryChanged(String type, String side, String kind, Iterable<String> fields) {
    Metrics.counter(ENTRIES_CHANGED, "type", type, "side", side, "kind", kind).increment();
    for (String field : fields) {
      Metrics.counter(FIELDS_CHANGED, "type", type, "side", side, "field", field).increment();
    }
  }

  public static final String LIVE_POLLS = "sync_live_polls";
  public static final String CHANGE_LATENCY = "sync_change_latency";

  /** One live poll ended: {@code idle} (nothing new), {@code quiet} (only echoes), {@code synced}, {@code refused}, {@code failed}. */
  public static void livePoll(String result) {
    Metrics.counter(LIVE_POLLS, "result", result).increment();
  }

  /** From an edit's own timestamp on its service to our write of it on the other side. */
  public static void changeLatency(Duration latency) {
    Metrics.timer(CHANGE_LATENCY).record(latency.isNegative() ? Duration.ZERO : latency);
  }
}
