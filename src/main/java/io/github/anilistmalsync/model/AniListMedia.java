package io.github.anilistmalsync.model;

import io.vertx.core.json.JsonObject;

/**
 * An AniList media (the show or book) as far as the sync needs it. {@code idMal} is null when MAL does not
 * know the media. Totals are null when AniList does not know them (airing shows).
 */
public record AniListMedia(
    AniListMediaId id,
    MalId idMal,
    MediaType type,
    String format,
    Integer episodes,
    Integer chapters,
    Integer volumes,
    boolean isAdult,
    String titleRomaji,
    String titleEnglish,
    String titleNative) {

  /** The title to show a person: English if there is one, else romaji, else native. */
  public String displayTitle() {
    if (titleEnglish != null && !titleEnglish.isBlank()) return titleEnglish;
    if (titleRomaji != null && !titleRomaji.isBlank()) return titleRomaji;
    return titleNative != null ? titleNative : "AniList " + id.value();
  }

  /** The total of the progress unit: episodes for anime, chapters for manga. */
  public Integer progressTotal() {
    return type == MediaType.ANIME ? episodes : chapters;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.value())
        .put("idMal", idMal == null ? null : idMal.value())
        .put("type", type.name())
        .put("format", format)
        .put("episodes", episodes)
        .put("chapters", chapters)
        .put("volumes", volumes)
        .put("isAdult", isAdult)
        .put("title", new JsonObject()
            .put("romaji", titleRomaji)
            .put("english", titleEnglish)
            .put("native", titleNative));
  }

  /**
   * Reads both our bus form and AniList's GraphQL form (they are the same shape). A number that does not fit its
   * field is refused ({@link JsonNumbers}), never wrapped round.
   */
  public static AniListMedia fromJson(JsonObject json) {
    JsonObject title = json.getJsonObject("title", new JsonObject());
    Integer idMal = JsonNumbers.intOrNull(json, "idMal");
    return new AniListMedia(
        new AniListMediaId(JsonNumbers.intOrNull(json, "id")),
        idMal == null || idMal <= 0 ? null : new MalId(idMal),
        MediaType.parse(json.getString("type")),
        json.getString("format"),
        JsonNumbers.intOrNull(json, "episodes"),
        JsonNumbers.intOrNull(json, "chapters"),
        JsonNumbers.intOrNull(json, "volumes"),
        Boolean.TRUE.equals(json.getBoolean("isAdult")),
        title.getString("romaji"),
        title.getString("english"),
        title.getString("native"));
  }
}
