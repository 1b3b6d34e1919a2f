package io.github.anilistmalsync.sync.core;

/** One of the two services. */
public enum Side {
  ANILIST, MAL;

  public Side other() {
    return this == ANILIST ? MAL : ANILIST;
  }

  public String label() {
    return this == ANILIST ? "AniList" : "MyAnimeList";
  }
}
