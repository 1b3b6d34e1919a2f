package io.github.anilistmalsync.sync;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** A pair as both services returned it after its last successful sync: what "changed since" is measured from. */
public record Baseline(PairKey key, NeutralState anilist, NeutralState mal, Instant syncedAt) {

  public JsonObject toJson() {
    return new JsonObject().put("key", key.toJson()).put("anilist", anilist.toJson()).put("mal", mal.toJson())
        .put("syncedAt", syncedAt.toString());
  }

  public static Baseline fromJson(JsonObject json) {
    return new Baseline(PairKey.fromJson(json.getJsonObject("key")), NeutralState.fromJson(json.getJsonObject("anilist")),
        NeutralState.fromJson(json.getJsonObject("mal")), Instant.parse(json.getString("syncedAt")));
  }
}
