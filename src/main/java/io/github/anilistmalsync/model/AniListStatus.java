package io.github.anilistmalsync.model;

/** AniList's MediaListStatus enum, as the API spells it. */
public enum AniListStatus {
  CURRENT, PLANNING, COMPLETED, DROPPED, PAUSED, REPEATING
}
