package io.github.anilistmalsync.model;

/** A MyAnimeList anime or manga id. A distinct type so it can never be swapped with an AniList id. */
public record MalId(int value) implements Comparable<MalId> {
  public MalId {
    if (value <= 0) throw new IllegalArgumentException("MAL id must be positive: " + value);
  }

  @Override
  public int compareTo(MalId o) {
    return Integer.compare(value, o.value);
  }

  @Override
  public String toString() {
    return "mal:" + value;
  }
}
