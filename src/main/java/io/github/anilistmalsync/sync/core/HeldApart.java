package io.github.anilistmalsync.sync.core;

import java.util.List;

/**
 * A pair whose two entries still differ after the plan, and that the plan will not write: nobody edited the
 * differing fields since the last sync (an undo, a value a service kept differently), a service refused the value,
 * or it is private on AniList. Shown wherever counts and plans are, with why, and offered to the user to settle;
 * never counted as "in sync". {@code differences} are one line per field, both sides' values.
 */
public record HeldApart(PairKey key, String title, List<String> differences, String reason) {

  public HeldApart {
    differences = List.copyOf(differences);
  }
}
