package io.github.anilistmalsync.sync.core;

/** Both sides changed a unit (or one deleted what the other edited): both values, and which side won and why. */
public record Conflict(PairKey key, String title, String unit, String anilistValue, String malValue, Side winner, String reason) {}
