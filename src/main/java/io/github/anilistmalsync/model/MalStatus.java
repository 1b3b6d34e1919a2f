package io.github.anilistmalsync.model;

import java.util.Locale;

/**
 * MAL's list statuses. The API words differ between anime and manga for two of them
 * (watching/reading, plan_to_watch/plan_to_read); {@link #apiWord(MediaType)} gives the right one.
 */
public enum MalStatus {
  IN_PROGRESS, COMPLETED, ON_HOLD, DROPPED, PLANNED;

  public String apiWord(MediaType type) {
    return switch (this) {
      case IN_PROGRESS -> type == MediaType.ANIME ? "watching" : "reading";
      case PLANNED -> type == MediaType.ANIME ? "plan_to_watch" : "plan_to_read";
      default -> name().toLowerCase(Locale.ROOT);
    };
  }

  /** Parses either type's word; throws IllegalArgumentException naming the bad value. */
  public static MalStatus parse(String word) {
    if (word == null) throw new IllegalArgumentException("missing MAL status");
    return switch (word) {
      case "watching", "reading" -> IN_PROGRESS;
      case "plan_to_watch", "plan_to_read" -> PLANNED;
      case "completed" -> COMPLETED;
      case "on_hold" -> ON_HOLD;
      case "dropped" -> DROPPED;
      default -> throw new IllegalArgumentException("unknown MAL status '" + word + "'");
    };
  }
}
