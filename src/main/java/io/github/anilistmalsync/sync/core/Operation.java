package io.github.anilistmalsync.sync.core;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One write the plan makes: on which side, what kind, each merge unit it changes with the target's value before and
 * the value written (in the target's own terms), and why. A delete changes no unit. Each service's wire mapper turns
 * the changes into the request's fields; {@code sourceState} is the neutral state the write copies, from which the
 * pair's next baseline is made.
 */
public record Operation(PairKey key, Side target, Kind kind, String title, Long anilistEntryId,
                        Map<Unit, Change<?>> changes, String reason, NeutralState sourceState) {

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
}
