package io.github.anilistmalsync.anilist;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListMedia;
import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.FuzzyDate;
import io.github.anilistmalsync.model.JsonNumbers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one AniList MediaList as our queries ask for it; an entry that cannot be read (a status word we do not know,
 * a date or number that does not parse, a field missing) is named by title and id instead of failing its list.
 */
final class AniListEntryReader {
  private AniListEntryReader() {}

  /** One entry, or null with the entry named in {@code skipped} (once, though custom lists repeat it) when it cannot be read. */
  static AniListEntry read(JsonObject json, List<String> skipped) {
    try {
      return parse(json);
    } catch (RuntimeException e) {
      String line = describe(json) + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      if (!skipped.contains(line)) skipped.add(line);
      return null;
    }
  }

  /** "Title (AniList entry 12, media 34)" from whatever of that an unreadable entry still has. */
  private static String describe(JsonObject json) {
    Object media = json.getValue("media");
    String title = null;
    if (media instanceof JsonObject m && m.getValue("title") instanceof JsonObject t) {
      for (String key : List.of("english", "romaji", "native")) {
        if (t.getValue(key) instanceof String s && !s.isBlank()) {
          title = s;
          break;
        }
      }
    }
    return (title == null ? "an entry" : "\"" + title + "\"") + " (AniList entry " + json.getValue("id") + ", media " + json.getValue("mediaId") + ")";
  }

  /** Reads one MediaList as our query asked for it. */
  static AniListEntry parse(JsonObject e) {
    JsonObject media = e.getJsonObject("media");
    Object lists = e.getValue("customLists");
    List<String> custom = new ArrayList<>();
    if (lists instanceof JsonObject map) {
      map.forEach(entry -> {
        if (Boolean.TRUE.equals(entry.getValue())) custom.add(entry.getKey());
      });
    } else if (lists instanceof JsonArray array) {
      array.forEach(item -> {
        if (item instanceof JsonObject o && o.getBoolean("enabled", false)) custom.add(o.getString("name"));
      });
    }
    Number score100 = e.getNumber("score100");
    Number score = e.getNumber("score");
    // MediaList.id is a GraphQL Int: past 32 bits it is damage, never another entry
    long id = JsonNumbers.intOr(e, "id", 0);
    if (id <= 0) throw new IllegalArgumentException("an entry without an id");
    return new AniListEntry(
        id,
        AniListMedia.fromJson(media),
        AniListStatus.valueOf(e.getString("status")),
        score100 == null ? 0 : Math.toIntExact(Math.round(score100.doubleValue())),
        score == null ? null : score.doubleValue(),
        count(e, "progress"),
        count(e, "progressVolumes"),
        count(e, "repeat"),
        Boolean.TRUE.equals(e.getBoolean("private")),
        Boolean.TRUE.equals(e.getBoolean("hiddenFromStatusLists")),
        e.getString("notes"),
        custom,
        FuzzyDate.fromJson(e.getJsonObject("startedAt")),
        FuzzyDate.fromJson(e.getJsonObject("completedAt")),
        JsonNumbers.longOr(e, "updatedAt", 0),
        JsonNumbers.longOr(e, "createdAt", 0));
  }

  /** AniList sends null for counts never set (volumes of an anime, a repeat never entered). */
  private static int count(JsonObject o, String key) {
    return JsonNumbers.intOr(o, key, 0);
  }
}
