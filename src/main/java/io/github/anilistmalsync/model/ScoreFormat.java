package io.github.anilistmalsync.model;

/**
 * AniList's ScoreFormat: how the user sees scores. AniList keeps every score on the 100-point scale and keeps a
 * {@code scoreRaw} as it is sent, whatever the format (a decimal score survives a switch to a coarser format and
 * back: seanime#535); this enum says what a 100-point value looks like in the user's format, and which values a
 * user of the format can give on AniList's own site ({@link #entered}).
 */
public enum ScoreFormat {
  POINT_100, POINT_10_DECIMAL, POINT_10, POINT_5, POINT_3;

  /**
   * The 100-point value a user of this format gives on AniList's site when meaning {@code raw} (0–100): the nearest
   * step, halves up — POINT_10: tens; POINT_5: 20, 40, 60, 80, 100; POINT_3: 35 (1–40), 60 (41–70), 85 (71–100).
   * A non-zero score never becomes 0. What test lists and sample lists hold for a coarse-format user.
   */
  public int entered(int raw) {
    if (raw <= 0) return 0;
    int r = Math.min(100, raw);
    return switch (this) {
      case POINT_100, POINT_10_DECIMAL -> r;
      case POINT_10 -> Math.max(10, (r + 5) / 10 * 10);
      case POINT_5 -> Math.max(20, (r + 10) / 20 * 20);
      case POINT_3 -> r <= 40 ? 35 : r <= 70 ? 60 : 85;
    };
  }

  /** The score as the user sees it in this format ({@code score} in AniList's API). */
  public double display(int score100) {
    if (score100 <= 0) return 0;
    return switch (this) {
      case POINT_100 -> score100;
      case POINT_10_DECIMAL -> score100 / 10.0;
      case POINT_10 -> Math.round(score100 / 10.0);
      case POINT_5 -> Math.max(1, Math.round(score100 / 20.0));
      case POINT_3 -> score100 <= 40 ? 1 : score100 <= 70 ? 2 : 3;
    };
  }

  /** The 100-point value of a score given in this format (AniList's {@code score} argument). */
  public int fromDisplay(double score) {
    if (score <= 0) return 0;
    return switch (this) {
      case POINT_100 -> (int) Math.round(score);
      case POINT_10_DECIMAL, POINT_10 -> (int) Math.round(score * 10);
      case POINT_5 -> (int) Math.round(score * 20);
      case POINT_3 -> score <= 1 ? 35 : score <= 2 ? 60 : 85;
    };
  }
}
