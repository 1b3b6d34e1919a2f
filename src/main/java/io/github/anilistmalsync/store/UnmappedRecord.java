package io.github.anilistmalsync.store;

import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sync.core.Side;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** An entry that could not be paired, as the store keeps it: when it was first seen and last looked up (or null). */
public record UnmappedRecord(MediaType type, Side side, int id, String title, String reason, Instant firstSeen, Instant lastTried) {

  /** As the bus carries it: {type, side, id, title, reason, firstSeen, lastTried}. */
  public JsonObject toJson() {
    return new JsonObject().put("type", type.name()).put("side", side.name()).put("id", id).put("title", title)
        .put("reason", reason).put("firstSeen", firstSeen.toString()).put("lastTried", lastTried == null ? null : lastTried.toString());
  }
}
