package io.github.anilistmalsync.sync.core;

/**
 * What the merge decides on as one piece. Each field is its own unit, so an edit of one on AniList and of another
 * on MAL both survive; only MAL's rewatch flag travels with the status ({@link #STATUS}: REPEATING ⇄ completed +
 * is_rewatching), because one without the other is not a state either service holds. A completed status merged
 * with a lower progress from the other side is settled by the planner's completion rule.
 */
public enum Unit {
  STATUS("status"), PROGRESS("progress"), SCORE("score"), VOLUMES("volumes"), REPEAT("repeat"), START("start_date"), FINISH("finish_date"), NOTES("notes");

  private final String configName;

  Unit(String configName) {
    this.configName = configName;
  }

  /** The name under {@code sync.fields} that switches this unit on or off. */
  public String configName() {
    return configName;
  }
}
