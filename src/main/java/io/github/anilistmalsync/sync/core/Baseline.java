package io.github.anilistmalsync.sync.core;

import java.time.Instant;

/**
 * A pair as both services returned it after its last successful sync: what "changed since" is measured from, each
 * side against its own state. {@code note}, when set, says why the two states may differ although nobody edited
 * them since ("undone by run … on …", "MyAnimeList kept a different value than was sent"): a pair whose sides
 * differ is held apart with that reason, never counted as agreed.
 */
public record Baseline(PairKey key, NeutralState anilist, NeutralState mal, Instant syncedAt, String note) {

  public Baseline(PairKey key, NeutralState anilist, NeutralState mal, Instant syncedAt) {
    this(key, anilist, mal, syncedAt, null);
  }

  public Baseline withNote(String newNote) {
    return new Baseline(key, anilist, mal, syncedAt, newNote);
  }
}
