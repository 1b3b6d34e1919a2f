package io.github.anilistmalsync.sync.core;

import java.time.Instant;

/** The user removed this pair's entry on {@code deletedOn}; under the "keep" policy it is not re-created there. */
public record Tombstone(PairKey key, Side deletedOn, Instant deletedAt) {}
