package io.github.anilistmalsync.web;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A moment as a page shows it: the ISO instant for {@code <time datetime>} (webroot/app.js renders it relative, in
 * the browser's time zone, with the exact time on hover) and a readable text for when no script runs.
 */
final class PageTime {
  private static final DateTimeFormatter READABLE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter TO_THE_MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private PageTime() {}

  /** {iso, text, title}: the text is the exact time (to the second, UTC); null for no or an unreadable instant. */
  static JsonObject exact(String iso) {
    Instant at = parse(iso);
    return at == null ? null : model(at, READABLE.format(at));
  }

  /** {iso, text, title}: the text is the exact time to the minute, for a list of many (History). */
  static JsonObject minute(String iso) {
    Instant at = parse(iso);
    return at == null ? null : model(at, TO_THE_MINUTE.format(at));
  }

  /** {iso, text, title}: the text is "5 min ago" / "in 10 min" from {@code now}. */
  static JsonObject relative(String iso, Instant now) {
    Instant at = parse(iso);
    return at == null ? null : model(at, relative(at, now));
  }

  private static JsonObject model(Instant at, String text) {
    return new JsonObject().put("iso", at.toString()).put("text", text).put("title", READABLE.format(at));
  }

  /** "just now", "12 s ago", "5 min ago", "3 h ago", "2 days ago", or "in …" for a time still to come. */
  static String relative(Instant at, Instant now) {
    long s = Duration.between(at, now).toSeconds();
    boolean future = s < 0;
    long a = Math.abs(s);
    if (a < 5) return future ? "in a moment" : "just now";
    String span = a < 60 ? a + " s" : a < 3600 ? a / 60 + " min" : a < 86_400 ? a / 3600 + " h"
        : a / 86_400 + (a / 86_400 == 1 ? " day" : " days");
    return future ? "in " + span : span + " ago";
  }

  static Instant parse(String iso) {
    if (iso == null) return null;
    try {
      return Instant.parse(iso);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
