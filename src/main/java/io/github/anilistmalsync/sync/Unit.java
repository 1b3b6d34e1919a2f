package io.github.anilistmalsync.sync;

import java.util.Locale;

/**
 * What the merge decides on as one piece. Status, progress and the rewatch flag are one unit ({@link #WATCH})
 * because they constrain each other: a completed entry with half the episodes, or a rewatch flag on a dropped
 * entry, are states neither service would hold.
 */
public enum Unit {
  WATCH("status"), SCORE("score"), VOLUMES("volumes"), REPEAT("repeat"), START("start_date"), FINISH("finish_date"), NOTES("notes");

  private final String configName;

  Unit(String configName) {
    this.configName = configName;
  }

  /** The name under {@code sync.fields} that switches this unit on or off. */
  public String configName() {
    return configName;
  }

  public static Unit fromConfigName(String name) {
    for (Unit u : values()) {
      if (u.configName.equals(name.toLowerCase(Locale.ROOT))) return u;
    }
    throw new IllegalArgumentException("unknown sync field '" + name + "'");
  }
}
