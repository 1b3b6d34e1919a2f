package io.github.anilistmalsync.sync.core;

import io.github.anilistmalsync.model.MediaType;
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
}
