package io.github.anilistmalsync.sync.core;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalStatus;
import io.github.anilistmalsync.model.MediaType;

/**
 * AniList ⇄ neutral ⇄ MAL, and when two values from different sides are the same.
 *
 * <p>Scores: MAL's 0–10 integer {@code m} is {@code 10·m} on the 100-point scale. An AniList score {@code a}
 * becomes MAL's {@code round(a / 10)} with halves up (85 → 9, 84 → 8), and never 0 when {@code a > 0}
 * (1–14 → 1). Two scores are the same only when the AniList one converts to the MAL one: no guess at how a coarse
 * AniList format rounds decides that a change needs no write. Changes are found against each side's own baseline,
 * so a value a service keeps differently from what was sent never bounces.
 */
public final class Convert {
  /** MAL caps num_times_rewatched / num_times_reread here. */
  public static final int MAL_MAX_REPEAT = 255;

  private Convert() {}

  public static NeutralState fromAniList(AniListEntry e) {
    return new NeutralState(e.status(), e.progress(), e.score100(), e.type() == MediaType.MANGA ? e.progressVolumes() : 0,
        e.repeat(), e.startedAt(), e.completedAt(), e.notes());
  }

  public static NeutralState fromMal(MalEntry e) {
    AniListStatus status = e.repeating() ? AniListStatus.REPEATING : fromMalStatus(e.status());
    return new NeutralState(status, e.progress(), e.score() * 10, e.type() == MediaType.MANGA ? e.volumesRead() : 0,
        e.repeatCount(), e.startDate(), e.finishDate(), e.comments());
  }

  /** A MAL status word's meaning in AniList's words (never REPEATING: on MAL that is a flag). */
  public static AniListStatus fromMalStatus(MalStatus status) {
    return switch (status) {
      case IN_PROGRESS -> AniListStatus.CURRENT;
      case PLANNED -> AniListStatus.PLANNING;
      case COMPLETED -> AniListStatus.COMPLETED;
      case ON_HOLD -> AniListStatus.PAUSED;
      case DROPPED -> AniListStatus.DROPPED;
    };
  }

  public static MalStatus toMalStatus(AniListStatus status) {
    return switch (status) {
      case CURRENT -> MalStatus.IN_PROGRESS;
      case PLANNING -> MalStatus.PLANNED;
      case COMPLETED, REPEATING -> MalStatus.COMPLETED;
      case PAUSED -> MalStatus.ON_HOLD;
      case DROPPED -> MalStatus.DROPPED;
    };
  }

  /** MAL's 0–10 score for a 100-point score: halves round up; a non-zero score never becomes 0. */
  public static int toMalScore(int score100) {
    if (score100 <= 0) return 0;
    return Math.max(1, Math.min(10, (score100 + 5) / 10));
  }

  static String normaliseNotes(String notes) {
    if (notes == null) return "";
    return notes.replace("\r\n", "\n").strip();
  }

  /**
   * Totals that decide whether MAL capped a value: progress and volumes it would not go past. Only MAL caps, and
   * only at a total it knows: when MAL's count is unknown (0), a progress past AniList's count is a real change.
   */
  public record Caps(Integer progressTotal, Integer volumesTotal) {
    public static final Caps NONE = new Caps(null, null);

    /** MAL's own totals for the entry; AniList's are no reason to think MAL capped anything. */
    public static Caps of(MalEntry mal) {
      return new Caps(known(mal.progressTotal()), known(mal.volumesTotal()));
    }

    private static Integer known(Integer total) {
      return total != null && total > 0 ? total : null;
    }
  }

  /** Whether the AniList and the MAL state hold the same value for {@code unit}. */
  public static boolean same(Unit unit, NeutralState ani, NeutralState mal, Caps caps) {
    return switch (unit) {
      case STATUS -> ani.status() == mal.status();
      case PROGRESS -> capped(ani.progress(), mal.progress(), caps.progressTotal());
      case SCORE -> toMalScore(ani.score100()) == mal.score100() / 10;
      case VOLUMES -> capped(ani.volumes(), mal.volumes(), caps.volumesTotal());
      case REPEAT -> Math.min(ani.repeat(), MAL_MAX_REPEAT) == Math.min(mal.repeat(), MAL_MAX_REPEAT);
      case START -> ani.started().equals(mal.started());
      case FINISH -> ani.finished().equals(mal.finished());
      case NOTES -> ani.notes().equals(mal.notes());
    };
  }

  /** Whether two states of the same side hold the same value for {@code unit} (exact). */
  public static boolean sameOnOneSide(Unit unit, NeutralState a, NeutralState b) {
    return switch (unit) {
      case STATUS -> a.status() == b.status();
      case PROGRESS -> a.progress() == b.progress();
      case SCORE -> a.score100() == b.score100();
      case VOLUMES -> a.volumes() == b.volumes();
      case REPEAT -> a.repeat() == b.repeat();
      case START -> a.started().equals(b.started());
      case FINISH -> a.finished().equals(b.finished());
      case NOTES -> a.notes().equals(b.notes());
    };
  }

  /**
   * Whether MAL holds a value for {@code unit} that its API answers as null (a date set without a year): unknown,
   * so it is neither an edit nor a clear, and nothing is planned for that unit on that pair.
   */
  public static boolean unknownOnMal(Unit unit, MalEntry mal) {
    return unit == Unit.START && mal.startDateUnknown() || unit == Unit.FINISH && mal.finishDateUnknown();
  }

  /** Empty values never overwrite filled ones when there is no baseline. Status and progress are never empty. */
  public static boolean isEmpty(Unit unit, NeutralState s) {
    return switch (unit) {
      case STATUS, PROGRESS, VOLUMES -> false;
      case SCORE -> s.score100() == 0;
      case REPEAT -> s.repeat() == 0;
      case START -> s.started().isEmpty();
      case FINISH -> s.finished().isEmpty();
      case NOTES -> s.notes().isEmpty();
    };
  }

  private static boolean capped(int aniValue, int malValue, Integer total) {
    if (aniValue == malValue) return true;
    return total != null && total > 0 && Math.min(aniValue, total) == Math.min(malValue, total);
  }

  /**
   * What {@code side} holds for {@code unit} when its entry is {@code s}, in that side's own terms: a {@link ListStatus},
   * an Integer (progress, volumes, repeat capped at MAL's 255, the score on AniList's 0–100 or MAL's 0–10 scale), a
   * FuzzyDate or the notes. Null where the side has no such value: volumes of an anime.
   */
  public static Object valueOn(Side side, MediaType type, Unit unit, NeutralState s) {
    boolean mal = side == Side.MAL;
    return switch (unit) {
      case STATUS -> mal ? new ListStatus(s.status() == AniListStatus.REPEATING ? AniListStatus.COMPLETED : s.status(),
          s.status() == AniListStatus.REPEATING) : ListStatus.onAniList(s.status());
      case PROGRESS -> s.progress();
      case SCORE -> mal ? toMalScore(s.score100()) : s.score100();
      case VOLUMES -> type == MediaType.MANGA ? s.volumes() : null;
      case REPEAT -> mal ? Math.min(s.repeat(), MAL_MAX_REPEAT) : s.repeat();
      case START -> s.started();
      case FINISH -> s.finished();
      case NOTES -> s.notes();
    };
  }
}
