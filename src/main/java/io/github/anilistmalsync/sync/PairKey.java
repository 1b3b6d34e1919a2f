package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.vertx.core.json.JsonObject;

/** Which AniList media and which MAL entry are the same show or book, within one type. */
public record PairKey(MediaType type, MalId malId, AniListMediaId aniListId) {

  public JsonObject toJson() {
    return new JsonObject().put("type", type.name()).put("malId", malId.value()).put("aniListId", aniListId.value());
  }

  public static PairKey fromJson(JsonObject json) {
    return new PairKey(MediaType.parse(json.getString("type")), new MalId(json.getInteger("malId")),
        new AniListMediaId(json.getInteger("aniListId")));
  }
}
