package io.github.anilistmalsync.model;

/** An AniList media id (the show or book, not the list entry). Distinct from {@link MalId} by type. */
public record AniListMediaId(int value) implements Comparable<AniListMediaId> {
  public AniListMediaId {
    if (value <= 0) throw new IllegalArgumentException("AniList media id must be positive: " + value);
  }

  @Override
  public int compareTo(AniListMediaId o) {
    return Integer.compare(value, o.value);
  }

  @Override
  public String toString() {
    return "anilist:" + value;
  }
}
