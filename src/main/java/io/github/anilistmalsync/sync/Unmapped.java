package io.github.anilistmalsync.sync;

import io.vertx.core.json.JsonObject;

/** An entry with no partner on the other side and no way to find one: shown to the user, never guessed. */
public record Unmapped(Side side, int id, String title, String reason) {

  public JsonObject toJson() {
    return new JsonObject().put("side", side.name()).put("id", id).put("title", title).put("reason", reason);
  }
}
