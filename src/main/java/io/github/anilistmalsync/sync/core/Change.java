package io.github.anilistmalsync.sync.core;

import io.github.anilistmalsync.model.FuzzyDate;

/**
 * One merge unit's change on an operation's target, in that side's own terms: the value the entry holds there before
 * the write ({@code null} when the write creates the entry) and the value written. Each service's wire mapper makes
 * its request fields from it; a page shows it in a user's words. Equal changes send equal requests.
 */
public sealed interface Change<V> {
  Unit unit();

  /** The target's value before the write; null for an entry the write creates. */
  V before();

  /** The value written. */
  V after();

  /** The value written as one line of text, as a refusal remembers it. */
  default String afterText() {
    return String.valueOf(after());
  }

  /** The status with MAL's rewatch flag (they travel together). */
  record Status(ListStatus before, ListStatus after) implements Change<ListStatus> {
    public Unit unit() {
      return Unit.STATUS;
    }
  }

  /** Episodes watched or chapters read. */
  record Progress(Integer before, Integer after) implements Change<Integer> {
    public Unit unit() {
      return Unit.PROGRESS;
    }
  }

  /**
   * The score as {@code side} holds it: AniList's 0–100 (its scoreRaw) or MAL's 0–10. {@link #before100()} and
   * {@link #after100()} give it on the neutral 100-point scale.
   */
  record Score(Side side, Integer before, Integer after) implements Change<Integer> {
    public Unit unit() {
      return Unit.SCORE;
    }

    public Integer before100() {
      return before == null ? null : to100(before);
    }

    public int after100() {
      return to100(after);
    }

    private int to100(int exact) {
      return side == Side.MAL ? exact * 10 : exact;
    }
  }

  /** Volumes read (manga only). */
  record Volumes(Integer before, Integer after) implements Change<Integer> {
    public Unit unit() {
      return Unit.VOLUMES;
    }
  }

  /** Times rewatched or reread (MAL keeps at most {@link Convert#MAL_MAX_REPEAT}). */
  record Repeat(Integer before, Integer after) implements Change<Integer> {
    public Unit unit() {
      return Unit.REPEAT;
    }
  }

  record Started(FuzzyDate before, FuzzyDate after) implements Change<FuzzyDate> {
    public Unit unit() {
      return Unit.START;
    }
  }

  record Finished(FuzzyDate before, FuzzyDate after) implements Change<FuzzyDate> {
    public Unit unit() {
      return Unit.FINISH;
    }
  }

  /** The notes text ("" = none). */
  record Notes(String before, String after) implements Change<String> {
    public Unit unit() {
      return Unit.NOTES;
    }
  }

  /**
   * A change of {@code unit} on {@code side} from {@code before} to {@code after}, each a value of the unit's type as
   * {@link Convert#valueOn} answers it (ListStatus, Integer, FuzzyDate or String).
   */
  static Change<?> of(Unit unit, Side side, Object before, Object after) {
    return switch (unit) {
      case STATUS -> new Status((ListStatus) before, (ListStatus) after);
      case PROGRESS -> new Progress((Integer) before, (Integer) after);
      case SCORE -> new Score(side, (Integer) before, (Integer) after);
      case VOLUMES -> new Volumes((Integer) before, (Integer) after);
      case REPEAT -> new Repeat((Integer) before, (Integer) after);
      case START -> new Started((FuzzyDate) before, (FuzzyDate) after);
      case FINISH -> new Finished((FuzzyDate) before, (FuzzyDate) after);
      case NOTES -> new Notes((String) before, (String) after);
    };
  }
}
