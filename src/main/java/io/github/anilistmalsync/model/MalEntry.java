package io.github.anilistmalsync.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * One entry of the user's MAL list, as read: the node (title and totals) and its list status, in one record
 * for both anime and manga. {@code progress} is episodes watched (anime) or chapters read (manga);
 * {@code repeating} is is_rewatching / is_rereading; {@code repeatCount} is num_times_rewatched / num_times_reread;
 * {@code volumesRead} is always 0 for anime. {@code score} is 0–10, 0 meaning unscored.
 * Node fields (title, totals, mediaType) may be null when the record comes from a write response,
 * which carries only the list status.
 *
 * <p><b>Unknown dates.</b> MAL's website lets a user store a start or finish date without a year (or without a
 * month); the API answers such a date as {@code null} (mihon#3573), while a date that is not set is simply absent.
 * {@code startDateUnknown} / {@code finishDateUnknown} are true when MAL answered {@code null}: the entry HAS a date
 * there that the API will not show. {@code startDate} / {@code finishDate} are then {@link FuzzyDate#EMPTY}, but they
 * mean "unknown", never "not set" and never "cleared": nothing may copy that emptiness to the other side or treat it
 * as an edit. Both flags are false for a date that is really not set.
 */
public record MalEntry(
    MalId id,
    MediaType type,
    String title,
    String mediaType,
    Integer progressTotal,
    Integer volumesTotal,
    boolean nsfw,
    MalStatus status,
    int score,
    int progress,
    int volumesRead,
    boolean repeating,
    int repeatCount,
    FuzzyDate startDate,
    FuzzyDate finishDate,
    String comments,
    List<String> tags,
    int priority,
    Instant updatedAt,
    boolean startDateUnknown,
    boolean finishDateUnknown) {

  /** An entry whose dates are known (set or not set). */
  public MalEntry(MalId id, MediaType type, String title, String mediaType, Integer progressTotal, Integer volumesTotal, boolean nsfw,
                  MalStatus status, int score, int progress, int volumesRead, boolean repeating, int repeatCount, FuzzyDate startDate,
                  FuzzyDate finishDate, String comments, List<String> tags, int priority, Instant updatedAt) {
    this(id, type, title, mediaType, progressTotal, volumesTotal, nsfw, status, score, progress, volumesRead, repeating, repeatCount,
        startDate, finishDate, comments, tags, priority, updatedAt, false, false);
  }

  public MalEntry {
    tags = tags == null ? List.of() : List.copyOf(tags);
    startDate = startDate == null ? FuzzyDate.EMPTY : startDate;
    finishDate = finishDate == null ? FuzzyDate.EMPTY : finishDate;
  }

  /** This entry with other comments (raw text, as the user wrote them). */
  public MalEntry withComments(String newComments) {
    return new MalEntry(id, type, title, mediaType, progressTotal, volumesTotal, nsfw, status, score, progress, volumesRead,
        repeating, repeatCount, startDate, finishDate, newComments, tags, priority, updatedAt, startDateUnknown, finishDateUnknown);
  }

  /** Whether MAL holds a date for {@code start} (else finish) that its API answers as null; see the class comment. */
  public boolean dateUnknown(boolean start) {
    return start ? startDateUnknown : finishDateUnknown;
  }

  public String displayTitle() {
    return title != null ? title : "MAL " + id.value();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.value())
        .put("type", type.name())
        .put("title", title)
        .put("mediaType", mediaType)
        .put("progressTotal", progressTotal)
        .put("volumesTotal", volumesTotal)
        .put("nsfw", nsfw)
        .put("status", status.name())
        .put("score", score)
        .put("progress", progress)
        .put("volumesRead", volumesRead)
        .put("repeating", repeating)
        .put("repeatCount", repeatCount)
        .put("startDate", startDate.toMalString())
        .put("finishDate", finishDate.toMalString())
        .put("comments", comments)
        .put("tags", new JsonArray(tags))
        .put("priority", priority)
        .put("updatedAt", updatedAt == null ? null : updatedAt.toString())
        .put("startDateUnknown", startDateUnknown)
        .put("finishDateUnknown", finishDateUnknown);
  }

  /** Reads the bus form written by {@link #toJson()}. */
  public static MalEntry fromJson(JsonObject json) {
    String updated = json.getString("updatedAt");
    return new MalEntry(
        new MalId(json.getInteger("id")),
        MediaType.parse(json.getString("type")),
        json.getString("title"),
        json.getString("mediaType"),
        json.getInteger("progressTotal"),
        json.getInteger("volumesTotal"),
        json.getBoolean("nsfw", false),
        MalStatus.valueOf(json.getString("status")),
        json.getInteger("score", 0),
        json.getInteger("progress", 0),
        json.getInteger("volumesRead", 0),
        json.getBoolean("repeating", false),
        json.getInteger("repeatCount", 0),
        FuzzyDate.parseMal(json.getString("startDate")),
        FuzzyDate.parseMal(json.getString("finishDate")),
        json.getString("comments"),
        json.getJsonArray("tags", new JsonArray()).stream().map(String::valueOf).toList(),
        json.getInteger("priority", 0),
        updated == null ? null : Instant.parse(updated),
        json.getBoolean("startDateUnknown", false),
        json.getBoolean("finishDateUnknown", false));
  }
}
