package io.github.anilistmalsync.sync.core;

import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.MalStatus;

/**
 * A status as one side holds it. On AniList: its status, REPEATING included ({@code rewatching} says the same). On
 * MAL: the status word's meaning in AniList's words (never REPEATING) and MAL's rewatch (reread) flag, which may be
 * set on any status; {@link #neutral()} reads the pair as the neutral form does.
 */
public record ListStatus(AniListStatus status, boolean rewatching) {

  public static ListStatus onAniList(AniListStatus status) {
    return new ListStatus(status, status == AniListStatus.REPEATING);
  }

  public static ListStatus onMal(MalStatus status, boolean rewatching) {
    return new ListStatus(Convert.fromMalStatus(status), rewatching);
  }

  /** MAL's status word for it (REPEATING is MAL's completed, with the flag). */
  public MalStatus malStatus() {
    return Convert.toMalStatus(status);
  }

  /** The status in the neutral form: REPEATING whenever the rewatch flag is set. */
  public AniListStatus neutral() {
    return rewatching ? AniListStatus.REPEATING : status;
  }
}
