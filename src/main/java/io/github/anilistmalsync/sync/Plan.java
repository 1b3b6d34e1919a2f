package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.model.MediaType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What one type's sync will do: the writes, the conflicts met and how they were decided, the entries that could
 * not be paired, and the bookkeeping that needs no write (baselines to record for pairs already equal, re-keyed
 * pairs, tombstones). {@code skipped} lists changes the options held back (private entries, never-lower-progress);
 * {@code heldApart} the pairs that still differ after the plan and that it will not write, with why.
 * {@code baselinedPairs} counts the pairs on both sides that had a baseline, {@code overwrittenPairs} those of them
 * the plan updates: the mass-change guard compares the two.
 */
public record Plan(MediaType type, List<Operation> operations, List<Conflict> conflicts, List<Unmapped> unmapped,
                   List<Baseline> baselinesToRecord, List<PairKey> baselinesToDrop, List<Tombstone> tombstonesToAdd,
                   List<PairKey> tombstonesToClear, List<String> skipped, List<HeldApart> heldApart, int pairedCount, int unchangedCount,
                   int baselinedPairs, int overwrittenPairs, int aniListSize, int malSize) {

  public boolean writes() {
    return !operations.isEmpty();
  }

  public JsonObject toJson() {
    JsonArray ops = new JsonArray();
    operations.forEach(o -> ops.add(o.toJson()));
    JsonArray conf = new JsonArray();
    conflicts.forEach(c -> conf.add(c.toJson()));
    JsonArray un = new JsonArray();
    unmapped.forEach(u -> un.add(u.toJson()));
    JsonArray held = new JsonArray();
    heldApart.forEach(h -> held.add(h.toJson()));
    return new JsonObject()
        .put("type", type.name())
        .put("operations", ops)
        .put("conflicts", conf)
        .put("unmapped", un)
        .put("skipped", new JsonArray(skipped))
        .put("heldApart", held)
        .put("paired", pairedCount)
        .put("unchanged", unchangedCount);
  }
}
