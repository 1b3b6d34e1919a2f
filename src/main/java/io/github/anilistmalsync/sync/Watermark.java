package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.sync.core.NeutralState;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How far live sync has read one service's list of one type, in that service's own clock: the newest update second
 * seen, and the entries already read that were updated in that very second, each as "id:state" (its id and a digest
 * of its synced fields). The next poll re-reads that second (several edits can share it) and skips only an entry
 * that is still exactly as read — a second edit within the same second is news.
 */
public record Watermark(long atSecond, Set<String> seen) {

  public Watermark {
    seen = Set.copyOf(seen);
  }

  /** Whether an entry read as {@code token} ("id:state"), updated at {@code second}, is news at this watermark. */
  public boolean isNew(String token, long second) {
    return second > atSecond || (second == atSecond && !seen.contains(token));
  }

  /** This watermark moved on to the newest of {@code updates} (token → second) read by a poll whose pairs are recorded. */
  public Watermark advancedBy(Map<String, Long> updates) {
    long newest = atSecond;
    for (long s : updates.values()) newest = Math.max(newest, s);
    Set<String> next = new TreeSet<>();
    if (newest == atSecond) next.addAll(seen);
    for (var e : updates.entrySet()) {
      if (e.getValue() == newest) next.add(e.getKey());
    }
    return new Watermark(newest, next);
  }

  /** The ids of the entries already read in the watermark's second (whatever state they were read in). */
  public Set<Long> seenIds() {
    Set<Long> ids = new TreeSet<>();
    for (String token : seen) ids.add(Long.parseLong(token.substring(0, token.indexOf(':'))));
    return ids;
  }

  /** An entry's token: its id and a digest of its synced fields, stable across restarts. */
  static String token(long id, NeutralState state) {
    return id + ":" + Integer.toHexString(CoreJson.neutral(state).encode().hashCode());
  }
}
