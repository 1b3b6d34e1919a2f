package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.FuzzyDate;
import io.vertx.core.json.JsonObject;

/**
 * One list entry's synced fields in one neutral form, whichever service it came from: AniList's statuses
 * (REPEATING included), progress in episodes or chapters, the score on AniList's 100-point scale (0 = none),
 * volumes, repeat count, partial dates and notes ("" = none). Comparing two states of the same side is exact;
 * comparing across sides goes through {@link Convert#same}.
 */
public record NeutralState(AniListStatus status, int progress, int score100, int volumes, int repeat,
                           FuzzyDate started, FuzzyDate finished, String notes) {

  public NeutralState {
    started = started == null ? FuzzyDate.EMPTY : started;
    finished = finished == null ? FuzzyDate.EMPTY : finished;
    notes = Convert.normaliseNotes(notes);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("status", status.name())
        .put("progress", progress)
        .put("score100", score100)
        .put("volumes", volumes)
        .put("repeat", repeat)
        .put("started", started.toJson())
        .put("finished", finished.toJson())
        .put("notes", notes);
  }

  public static NeutralState fromJson(JsonObject json) {
    return new NeutralState(
        AniListStatus.valueOf(json.getString("status")),
        json.getInteger("progress", 0),
        json.getInteger("score100", 0),
        json.getInteger("volumes", 0),
        json.getInteger("repeat", 0),
        FuzzyDate.fromJson(json.getJsonObject("started")),
        FuzzyDate.fromJson(json.getJsonObject("finished")),
        json.getString("notes"));
  }
}
