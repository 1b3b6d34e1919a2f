package io.github.anilistmalsync.sync.core;

import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.FuzzyDate;

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
}
