package io.github.anilistmalsync.words;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A run's result and counts in a user's words ("Not applied: the lists changed since the preview", "Anime: 2 created,
 * 5 updated, 1 error"), with the status class a page colours them by: ok, warn (held back, nothing broke), failed.
 */
public final class RunWords {
  private RunWords() {}

  /** The run's result word ({@code RunOutcome}'s) as a sentence; null is a run that did not finish. */
  public static String result(String word) {
    if (word == null) return "Did not finish";
    return switch (word) {
      case "ok" -> "Done";
      case "planChanged" -> "Not applied: the lists changed since the preview";
      case "refused" -> "Not applied: more changes at once than the mass-change guard allows";
      case "needsSignIn" -> "Stopped: a service needs you to sign in again";
      case "interrupted" -> "Interrupted before it finished";
      case "failed" -> "Failed";
      default -> word;
    };
  }

  /** {@code status-ok}, {@code status-warn} or {@code status-failed}. */
  public static String resultClass(String word) {
    if (word == null) return "status-failed";
    return switch (word) {
      case "ok" -> "status-ok";
      case "planChanged", "refused", "needsSignIn" -> "status-warn";
      default -> "status-failed";
    };
  }

  /**
   * "Anime: 2 created, 5 updated, 40 unchanged, 1 error" — or, for a plan, "Anime: 2 to create, 5 to update, …".
   * Counts of zero are left out, except unchanged.
   */
  public static String counts(String type, JsonObject c, boolean plan) {
    List<String> parts = new ArrayList<>();
    add(parts, c.getInteger("created", 0), plan ? "to create" : "created");
    add(parts, c.getInteger("updated", 0), plan ? "to update" : "updated");
    add(parts, c.getInteger("deleted", 0), plan ? "to remove" : "removed");
    parts.add(c.getInteger("unchanged", 0) + " unchanged");
    add(parts, c.getInteger("heldApart", 0), "held apart");
    int conflicts = c.getInteger("conflicts", 0);
    if (conflicts > 0) parts.add(conflicts + (conflicts == 1 ? " conflict" : " conflicts"));
    int errors = c.getInteger("errors", 0);
    if (errors > 0) parts.add(errors + (errors == 1 ? " error" : " errors"));
    String name = type == null || type.isEmpty() ? "" : type.substring(0, 1).toUpperCase(Locale.ROOT) + type.substring(1).toLowerCase(Locale.ROOT);
    return name + ": " + String.join(", ", parts);
  }

  private static void add(List<String> parts, int n, String what) {
    if (n > 0) parts.add(n + " " + what);
  }

  /** "1 problem", "3 problems": a count with its noun in the right number. */
  public static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
