package io.github.anilistmalsync.model;

/** The two kinds of list this service syncs; ids are never compared across them (MAL ids collide between types). */
public enum MediaType {
  ANIME, MANGA;

  /** The lower-case word used in config keys, MAL paths ("animelist") and bus messages. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static MediaType parse(String value) {
    return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
  }
}
