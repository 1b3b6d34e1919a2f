package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.model.MediaType;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Publishes one run's progress on {@link Addresses#SYNC_PROGRESS}. */
final class ProgressPublisher {
  private final Vertx vertx;
  private final String runId;

  ProgressPublisher(Vertx vertx, String runId) {
    this.vertx = vertx;
    this.runId = runId;
  }

  void phase(String phase, MediaType type, int done, int total, String title) {
    vertx.eventBus().publish(Addresses.SYNC_PROGRESS, new JsonObject()
        .put("runId", runId)
        .put("phase", phase)
        .put("type", type == null ? null : type.name())
        .put("done", done)
        .put("total", total)
        .put("title", title));
  }
}
