package io.github.anilistmalsync.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One entry of the user's AniList list, as read. {@code score100} is the score on AniList's 100-point scale
 * (what {@code score(format: POINT_100)} returns), 0 meaning unscored; {@code scoreInUserFormat} is the same
 * score as the user sees it. {@code updatedAt}/{@code createdAt} are Unix seconds.
 */
public record AniListEntry(
    long id,
    AniListMedia media,
    AniListStatus status,
    int score100,
    Double scoreInUserFormat,
    int progress,
    int progressVolumes,
    int repeat,
    boolean isPrivate,
    boolean hiddenFromStatusLists,
    String notes,
    List<String> customLists,
    FuzzyDate startedAt,
    FuzzyDate completedAt,
    long updatedAt,
    long createdAt) {

  /** AniList's MediaListCollection returns at most this many entries, the most recently updated (AniList's docs). */
  public static final int COLLECTION_CAP = 11_000;

  public AniListEntry {
    customLists = customLists == null ? List.of() : List.copyOf(customLists);
    startedAt = startedAt == null ? FuzzyDate.EMPTY : startedAt;
    completedAt = completedAt == null ? FuzzyDate.EMPTY : completedAt;
  }

  public MediaType type() {
    return media.type();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("media", media.toJson())
        .put("status", status.name())
        .put("score100", score100)
        .put("scoreInUserFormat", scoreInUserFormat)
        .put("progress", progress)
        .put("progressVolumes", progressVolumes)
        .put("repeat", repeat)
        .put("private", isPrivate)
        .put("hiddenFromStatusLists", hiddenFromStatusLists)
        .put("notes", notes)
        .put("customLists", new JsonArray(customLists))
        .put("startedAt", startedAt.toJson())
        .put("completedAt", completedAt.toJson())
        .put("updatedAt", updatedAt)
        .put("createdAt", createdAt);
  }

  /** Reads the bus form written by {@link #toJson()}. */
  public static AniListEntry fromJson(JsonObject json) {
    JsonArray lists = json.getJsonArray("customLists", new JsonArray());
    return new AniListEntry(
        json.getLong("id"),
        AniListMedia.fromJson(json.getJsonObject("media")),
        AniListStatus.valueOf(json.getString("status")),
        json.getInteger("score100", 0),
        json.getDouble("scoreInUserFormat"),
        json.getInteger("progress", 0),
        json.getInteger("progressVolumes", 0),
        json.getInteger("repeat", 0),
        json.getBoolean("private", false),
        json.getBoolean("hiddenFromStatusLists", false),
        json.getString("notes"),
        lists.stream().map(String::valueOf).toList(),
        FuzzyDate.fromJson(json.getJsonObject("startedAt")),
        FuzzyDate.fromJson(json.getJsonObject("completedAt")),
        json.getLong("updatedAt", 0L),
        json.getLong("createdAt", 0L));
  }
}
