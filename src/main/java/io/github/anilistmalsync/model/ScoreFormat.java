package io.github.anilistmalsync.model;

/** AniList's ScoreFormat: how the user sees scores. AniList stores every score on the 100-point scale. */
public enum ScoreFormat {
  POINT_100, POINT_10_DECIMAL, POINT_10, POINT_5, POINT_3
}
