package io.github.anilistmalsync.sync.core;

import java.time.Instant;

/**
 * A write a service refused and that sending again would not change. For one field ({@code unit} set): the value
 * that was refused ({@code value}, as {@link Change#afterText()} writes it); the planner does not send that value again, and sends
 * the field as soon as its value changes. For a whole entry ({@code unit} null: MAL's {@code invalid_content} for a
 * title not approved yet): nothing is sent to that side for the pair until a day after {@code at}.
 */
public record Refusal(PairKey key, Side side, Unit unit, String value, String reason, Instant at) {

  /** How long a refused entry is left alone before it is tried again. */
  public static final java.time.Duration ENTRY_RETRY = java.time.Duration.ofDays(1);

  public boolean wholeEntry() {
    return unit == null;
  }
}
