package io.github.anilistmalsync.sync.core;

import io.github.anilistmalsync.model.ScoreFormat;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** How the planner decides: which way changes flow, which units sync, and the policies users can choose. */
public record SyncOptions(Mode mode, Set<Unit> units, DeletionPolicy deletions, boolean includePrivate,
                          boolean neverLowerProgress, ScoreFormat scoreFormat) {

  /** Which way changes flow. */
  public enum Mode {
    BIDIRECTIONAL, ANILIST_TO_MAL, MAL_TO_ANILIST;

    /** Reads the config word (bidirectional, anilist-to-mal, mal-to-anilist). */
    public static Mode parse(String word) {
      return valueOf(word.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** The side whose values always win in a one-way mode; null when both ways. */
    public Side source() {
      return switch (this) {
        case BIDIRECTIONAL -> null;
        case ANILIST_TO_MAL -> Side.ANILIST;
        case MAL_TO_ANILIST -> Side.MAL;
      };
    }
  }

  /** What a deletion on one side does to the other. */
  public enum DeletionPolicy { KEEP, PROPAGATE }

  public SyncOptions {
    units = units.isEmpty() ? EnumSet.noneOf(Unit.class) : EnumSet.copyOf(units);
  }

  public static SyncOptions defaults() {
    return new SyncOptions(Mode.BIDIRECTIONAL, EnumSet.allOf(Unit.class), DeletionPolicy.KEEP, false, false, ScoreFormat.POINT_10);
  }

  public SyncOptions withMode(Mode m) {
    return new SyncOptions(m, units, deletions, includePrivate, neverLowerProgress, scoreFormat);
  }

  public SyncOptions withUnits(Set<Unit> u) {
    return new SyncOptions(mode, u, deletions, includePrivate, neverLowerProgress, scoreFormat);
  }

  public SyncOptions withDeletions(DeletionPolicy d) {
    return new SyncOptions(mode, units, d, includePrivate, neverLowerProgress, scoreFormat);
  }

  public SyncOptions withIncludePrivate(boolean b) {
    return new SyncOptions(mode, units, deletions, b, neverLowerProgress, scoreFormat);
  }

  public SyncOptions withNeverLowerProgress(boolean b) {
    return new SyncOptions(mode, units, deletions, includePrivate, b, scoreFormat);
  }

  public SyncOptions withScoreFormat(ScoreFormat f) {
    return new SyncOptions(mode, units, deletions, includePrivate, neverLowerProgress, f);
  }
}
