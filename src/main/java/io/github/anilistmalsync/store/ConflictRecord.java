package io.github.anilistmalsync.store;

import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sync.core.Side;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** A conflict a run met, as the journal keeps it: the unit, both values, the winner (null: none) and why. */
public record ConflictRecord(String runId, MediaType type, MalId malId, String title, String unit, String anilistValue,
                             String malValue, Side winner, String reason, Instant at) {

  /** As the bus carries it: {runId, type, malId, title, unit, anilistValue, malValue, winner, reason, at}. */
  public JsonObject toJson() {
    return new JsonObject().put("runId", runId).put("type", type.name()).put("malId", malId.value()).put("title", title)
        .put("unit", unit).put("anilistValue", anilistValue).put("malValue", malValue)
        .put("winner", winner == null ? null : winner.name()).put("reason", reason).put("at", at.toString());
  }
}
