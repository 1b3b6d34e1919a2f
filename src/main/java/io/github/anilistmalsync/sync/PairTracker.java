package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.sync.core.Baseline;
import io.github.anilistmalsync.sync.core.Convert;
import io.github.anilistmalsync.sync.core.NeutralState;
import io.github.anilistmalsync.sync.core.Operation;
import io.github.anilistmalsync.sync.core.PairKey;
import io.github.anilistmalsync.sync.core.Plan;
import io.github.anilistmalsync.sync.core.Side;
import io.github.anilistmalsync.sync.core.Unit;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows each pair through the apply phase: when the last of its writes is answered, and all succeeded, the pair's
 * new baseline is both sides' states as the services returned them (a write response replaces what was read),
 * never what was sent — services clamp and round.
 */
final class PairTracker {

  /** What to record for a pair once its last write is answered: a new baseline, a dropped one, or nothing. */
  record Settled(Baseline baseline, PairKey dropped) {
    static final Settled NOTHING = new Settled(null, null);
  }

  private static final class PairState {
    int pending;
    boolean failed;
    boolean deleted;
    NeutralState aniList;
    NeutralState mal;
  }

  private final Map<MalId, PairState> pairs = new HashMap<>();
  private final Map<MalId, Convert.Caps> caps = new HashMap<>();
  private final Instant now;
  private final String undoNote;

  /**
   * {@code undoNote}, for an undo run, says why its pairs may now differ (the written side is back to its old
   * values, the other keeps the user's edit); it becomes the baseline's note, so the pair is held apart with it.
   */
  PairTracker(Plan plan, List<AniListEntry> aniList, List<MalEntry> mal, Instant now, String undoNote) {
    this.now = now;
    this.undoNote = undoNote;
    mal.forEach(e -> caps.put(e.id(), Convert.Caps.of(e)));
    Map<Integer, AniListEntry> aniById = new HashMap<>();
    aniList.forEach(e -> aniById.put(e.media().id().value(), e));
    Map<MalId, MalEntry> malById = new HashMap<>();
    mal.forEach(e -> malById.put(e.id(), e));
    for (Operation op : plan.operations()) {
      PairState s = pairs.computeIfAbsent(op.key().malId(), k -> {
        PairState fresh = new PairState();
        AniListEntry a = aniById.get(op.key().aniListId().value());
        MalEntry m = malById.get(op.key().malId());
        fresh.aniList = a == null ? null : Convert.fromAniList(a);
        fresh.mal = m == null ? null : Convert.fromMal(m);
        return fresh;
      });
      s.pending++;
    }
  }

  /** A write succeeded with {@code reply} (the client verticle's answer). */
  Settled applied(Operation op, JsonObject reply) {
    PairState s = pairs.get(op.key().malId());
    if (op.kind() == Operation.Kind.DELETE) {
      s.deleted = true;
    } else {
      JsonObject entry = reply == null ? null : reply.getJsonObject("entry");
      if (op.target() == Side.ANILIST) {
        s.aniList = entry != null ? Convert.fromAniList(AniListEntry.fromJson(entry)) : null;
      } else {
        s.mal = entry != null ? Convert.fromMal(MalEntry.fromJson(entry)) : null;
      }
    }
    return settle(op.key(), s);
  }

  /** A write failed: the pair keeps its old baseline, so the next run tries again. */
  Settled failed(Operation op) {
    PairState s = pairs.get(op.key().malId());
    s.failed = true;
    return settle(op.key(), s);
  }

  private Settled settle(PairKey key, PairState s) {
    s.pending--;
    if (s.pending > 0 || s.failed) return Settled.NOTHING;
    if (s.deleted) return new Settled(null, key);
    if (s.aniList == null || s.mal == null) return Settled.NOTHING;
    return new Settled(new Baseline(key, s.aniList, s.mal, now, differ(key, s) ? noteFor() : null), null);
  }

  /** Whether the two services still hold different values after the writes (a service kept something else). */
  private boolean differ(PairKey key, PairState s) {
    Convert.Caps c = caps.getOrDefault(key.malId(), Convert.Caps.NONE);
    for (Unit unit : Unit.values()) {
      if (!Convert.same(unit, s.aniList, s.mal, c)) return true;
    }
    return false;
  }

  private String noteFor() {
    return undoNote != null ? undoNote : "the services kept different values than were sent on " + now.toString().substring(0, 10);
  }
}
