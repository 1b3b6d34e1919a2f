package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListMedia;
import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.FuzzyDate;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MalStatus;
import io.github.anilistmalsync.model.MediaType;
import java.time.Instant;
import java.util.List;

/** Builders for list entries in tests: one show per number n (AniList media 1000+n, MAL id n). */
public final class Entries {
  private Entries() {}

  public static AniListMedia media(MediaType type, int n, Integer total) {
    return new AniListMedia(new AniListMediaId(1000 + n), new MalId(n), type, type == MediaType.ANIME ? "TV" : "MANGA",
        type == MediaType.ANIME ? total : null, type == MediaType.MANGA ? total : null, type == MediaType.MANGA ? 10 : null,
        false, "Show " + n, null, null);
  }

  public static AniListEntry ani(int n, AniListStatus status, int progress, int score100, long updatedAt) {
    return new AniListEntry(5000 + n, media(MediaType.ANIME, n, 24), status, score100, null, progress, 0, 0, false, false,
        null, List.of(), FuzzyDate.EMPTY, FuzzyDate.EMPTY, updatedAt, 1);
  }

  public static MalEntry mal(int n, MalStatus status, boolean repeating, int progress, int score, long updatedAt) {
    return new MalEntry(new MalId(n), MediaType.ANIME, "Show " + n, "tv", 24, null, false, status, score, progress, 0,
        repeating, 0, FuzzyDate.EMPTY, FuzzyDate.EMPTY, "", List.of(), 0, Instant.ofEpochSecond(updatedAt));
  }

  public static AniListEntry withNotes(AniListEntry e, String notes) {
    return new AniListEntry(e.id(), e.media(), e.status(), e.score100(), e.scoreInUserFormat(), e.progress(), e.progressVolumes(),
        e.repeat(), e.isPrivate(), e.hiddenFromStatusLists(), notes, e.customLists(), e.startedAt(), e.completedAt(), e.updatedAt(), e.createdAt());
  }

  public static AniListEntry withDates(AniListEntry e, FuzzyDate started, FuzzyDate completed) {
    return new AniListEntry(e.id(), e.media(), e.status(), e.score100(), e.scoreInUserFormat(), e.progress(), e.progressVolumes(),
        e.repeat(), e.isPrivate(), e.hiddenFromStatusLists(), e.notes(), e.customLists(), started, completed, e.updatedAt(), e.createdAt());
  }

  public static AniListEntry privately(AniListEntry e) {
    return new AniListEntry(e.id(), e.media(), e.status(), e.score100(), e.scoreInUserFormat(), e.progress(), e.progressVolumes(),
        e.repeat(), true, e.hiddenFromStatusLists(), e.notes(), e.customLists(), e.startedAt(), e.completedAt(), e.updatedAt(), e.createdAt());
  }

  public static AniListEntry withMedia(AniListEntry e, AniListMedia media) {
    return new AniListEntry(e.id(), media, e.status(), e.score100(), e.scoreInUserFormat(), e.progress(), e.progressVolumes(),
        e.repeat(), e.isPrivate(), e.hiddenFromStatusLists(), e.notes(), e.customLists(), e.startedAt(), e.completedAt(), e.updatedAt(), e.createdAt());
  }

  public static MalEntry withComments(MalEntry e, String comments) {
    return new MalEntry(e.id(), e.type(), e.title(), e.mediaType(), e.progressTotal(), e.volumesTotal(), e.nsfw(), e.status(),
        e.score(), e.progress(), e.volumesRead(), e.repeating(), e.repeatCount(), e.startDate(), e.finishDate(), comments,
        e.tags(), e.priority(), e.updatedAt());
  }

  /** The same MAL entry with another episode count on MAL (0 or null: MAL does not know it). */
  public static MalEntry withTotal(MalEntry e, Integer total) {
    return new MalEntry(e.id(), e.type(), e.title(), e.mediaType(), total, e.volumesTotal(), e.nsfw(), e.status(),
        e.score(), e.progress(), e.volumesRead(), e.repeating(), e.repeatCount(), e.startDate(), e.finishDate(), e.comments(),
        e.tags(), e.priority(), e.updatedAt());
  }

  public static MalEntry withDates(MalEntry e, FuzzyDate start, FuzzyDate finish) {
    return new MalEntry(e.id(), e.type(), e.title(), e.mediaType(), e.progressTotal(), e.volumesTotal(), e.nsfw(), e.status(),
        e.score(), e.progress(), e.volumesRead(), e.repeating(), e.repeatCount(), start, finish, e.comments(),
        e.tags(), e.priority(), e.updatedAt());
  }
}
