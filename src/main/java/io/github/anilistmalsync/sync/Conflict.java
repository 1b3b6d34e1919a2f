package io.github.anilistmalsync.sync;

import io.vertx.core.json.JsonObject;

/** Both sides changed a unit (or one deleted what the other edited): both values, and which side won and why. */
public record Conflict(PairKey key, String title, String unit, String anilistValue, String malValue, Side winner, String reason) {

  public JsonObject toJson() {
    return new JsonObject().put("key", key.toJson()).put("title", title).put("unit", unit)
        .put("anilistValue", anilistValue).put("malValue", malValue)
        .put("winner", winner == null ? null : winner.name()).put("reason", reason);
  }
}
