package io.github.anilistmalsync.sync.core;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One write the plan makes: on which side, what kind, each merge unit it changes with the target's value before and
 * the value written (in the target's own terms), and why. A delete changes no unit. Each service's wire mapper turns
 * the changes into the request's fields; {@code sourceState} is the neutral state the write copies, from which the
 * pair's next baseline is made. {@code sourceEditedAt} is when the entry the write copies was last edited on the
 * other side (null when unknown): a page says "edited on MyAnimeList 2 h ago"; no decision reads it.
 */
public record Operation(PairKey key, Side target, Kind kind, String title, Long anilistEntryId,
                        Map<Unit, Change<?>> changes, String reason, NeutralState sourceState, Instant sourceEditedAt) {

  /** Create an entry, update some of its fields, or delete it. */
  public enum Kind { CREATE, UPDATE, DELETE }

  public Operation {
    EnumMap<Unit, Change<?>> byUnit = new EnumMap<>(Unit.class);
    if (changes != null) byUnit.putAll(changes);
    byUnit.forEach((unit, change) -> {
      if (change.unit() != unit) throw new IllegalArgumentException(change + " filed under " + unit);
    });
    changes = Collections.unmodifiableMap(byUnit);
  }

  /** A write whose source's edit time is not known (undo, deletions). */
  public Operation(PairKey key, Side target, Kind kind, String title, Long anilistEntryId, Map<Unit, Change<?>> changes,
                   String reason, NeutralState sourceState) {
    this(key, target, kind, title, anilistEntryId, changes, reason, sourceState, null);
  }
}
