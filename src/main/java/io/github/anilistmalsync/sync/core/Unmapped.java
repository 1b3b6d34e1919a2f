package io.github.anilistmalsync.sync.core;

/** An entry with no partner on the other side and no way to find one: shown to the user, never guessed. */
public record Unmapped(Side side, int id, String title, String reason) {}
