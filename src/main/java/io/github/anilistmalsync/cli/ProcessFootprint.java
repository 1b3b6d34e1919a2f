package io.github.anilistmalsync.cli;

import io.github.anilistmalsync.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * What keeps the service process small (BENCHMARKS.md, "Footprint", measures each part): Vert.x's thread pools sized
 * for one user's lists rather than for a server's load, and the heap handed back to the system after a full sync.
 */
final class ProcessFootprint {
  /**
   * Two event loops keep the dashboard answering while the other one parses a 5,000-entry list. Blocking work is
   * short and rare (the token file, a backup, a password hash, a config save; SQLite has its own single worker), so
   * two workers suffice. Vert.x's defaults (2 event loops a core, 20 workers, 20 internal blocking threads) started
   * over 40 threads in a day of syncs, each keeping its stack and its malloc arena.
   */
  static final int EVENT_LOOPS = 2;
  static final int WORKERS = 2;
  static final int INTERNAL_BLOCKING = 1;

  private ProcessFootprint() {}

  static VertxOptions vertxOptions() {
    return new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS).setWorkerPoolSize(WORKERS).setInternalBlockingPoolSize(INTERNAL_BLOCKING);
  }

  /**
   * After each full sync ({@code sync.finished}; a live poll, which holds a few entries, publishes {@code
   * sync.live.polled} instead), one full collection on a worker: the serial
   * collector gives memory back to the system only then, and a sync's lists are garbage for the hours until the
   * next one. A few tens of milliseconds every few hours, instead of the peak's heap kept all day.
   */
  static void releaseHeapAfterFullSyncs(Vertx vertx) {
    vertx.eventBus().consumer(Addresses.SYNC_FINISHED, msg -> vertx.executeBlocking(() -> {
      System.gc();
      return null;
    }, false));
  }
}
