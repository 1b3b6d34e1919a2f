package io.github.anilistmalsync.model;

import io.vertx.core.json.JsonObject;

/**
 * A possibly partial calendar date, as both services allow: year only, year and month, or a full date.
 * {@link #EMPTY} (all parts null) means "no date". A day without a month, or a month without a year,
 * cannot be written to MAL and is normalised away by {@link #of}.
 */
public record FuzzyDate(Integer year, Integer month, Integer day) {
  public static final FuzzyDate EMPTY = new FuzzyDate(null, null, null);

  /** Builds a date keeping only the parts that are meaningful (no month without a year, no day without a month). */
  public static FuzzyDate of(Integer year, Integer month, Integer day) {
    if (year == null || year <= 0) return EMPTY;
    if (month == null || month < 1 || month > 12) return new FuzzyDate(year, null, null);
    if (day == null || day < 1 || day > 31) return new FuzzyDate(year, month, null);
    return new FuzzyDate(year, month, day);
  }

  public boolean isEmpty() {
    return year == null;
  }

  /** MAL's form: "2017-10-23", "2017-10" or "2017"; "" for no date (an empty value clears on MAL). */
  public String toMalString() {
    if (year == null) return "";
    StringBuilder s = new StringBuilder(String.format("%04d", year));
    if (month != null) s.append(String.format("-%02d", month));
    if (month != null && day != null) s.append(String.format("-%02d", day));
    return s.toString();
  }

  /** Parses MAL's date forms; null or blank is {@link #EMPTY}. Throws IllegalArgumentException on anything else. */
  public static FuzzyDate parseMal(String text) {
    if (text == null || text.isBlank()) return EMPTY;
    String[] parts = text.trim().split("-");
    try {
      Integer y = Integer.valueOf(parts[0]);
      Integer m = parts.length > 1 ? Integer.valueOf(parts[1]) : null;
      Integer d = parts.length > 2 ? Integer.valueOf(parts[2]) : null;
      if (parts.length > 3) throw new NumberFormatException();
      return of(y, m, d);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a MAL date: '" + text + "'");
    }
  }

  /** AniList's FuzzyDate object ({year, month, day}, each possibly null). */
  public JsonObject toJson() {
    return new JsonObject().put("year", year).put("month", month).put("day", day);
  }

  public static FuzzyDate fromJson(JsonObject json) {
    if (json == null) return EMPTY;
    return of(JsonNumbers.intOrNull(json, "year"), JsonNumbers.intOrNull(json, "month"), JsonNumbers.intOrNull(json, "day"));
  }

  @Override
  public String toString() {
    return year == null ? "—" : toMalString();
  }
}
