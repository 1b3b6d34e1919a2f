package io.github.anilistmalsync.words;

import io.github.anilistmalsync.model.MediaType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A run's result and counts in a user's words ("Not applied: the lists changed since the preview", "2 created,
 * 5 updated, 0 deleted, 40 unchanged, 1 error"), with the tone a page colours them by — ok, warn (held back, nothing
 * broke), failed — and each type's own result in a run ({@link TypeResult}): the one formatter of runs for the
 * dashboard, History, the run page, Preview and webhooks.
 */
public final class RunWords {
  private RunWords() {}

  /**
   * How one type fared in a run, worked out from the counts and errors the run recorded for that type, so a run whose
   * anime failed does not show its manga as failed too.
   *
   * @param result  the run's result word as it applies to this type ({@code ok}, {@code failed}, …)
   * @param tone    {@code ok}, {@code warn} or {@code failed}: the status colour class
   * @param words   the result as a person says it
   * @param reasons what went wrong for this type, in the run's own sentences
   */
  public record TypeResult(String result, String tone, String words, List<String> reasons) {
    /** Whether this result is one the user has to know about. */
    public boolean failed() {
      return tone.equals("failed");
    }
  }

  /** The result of {@code type} (e.g. "ANIME") in a {@code sync.finished}-shaped summary. */
  public static TypeResult forType(JsonObject summary, String type) {
    String run = summary.getString("result", "did not finish");
    boolean dryRun = Boolean.TRUE.equals(summary.getBoolean("dryRun"));
    JsonObject types = summary.getValue("types") instanceof JsonObject t ? t : new JsonObject();
    JsonObject counts = types.getValue(type) instanceof JsonObject c ? c : null;
    int errorCount = counts == null ? 0 : counts.getInteger("errors", 0);
    List<String> own = new ArrayList<>();
    List<String> runWide = new ArrayList<>();
    List<String> unclaimed = new ArrayList<>();
    for (Object e : summary.getJsonArray("errors", new JsonArray())) {
      String text = String.valueOf(e);
      String owner = ownerOf(text);
      if (owner == null) {
        unclaimed.add(text);
      } else if (owner.equals("the run")) {
        runWide.add(sentence(text.substring(owner.length())));
      } else if (owner.equalsIgnoreCase(type)) {
        own.add(sentence(text.substring(owner.length())));
      }
    }
    // a write's error names its entry, not its type: it belongs to the types that counted an error
    if (errorCount > 0 || !anyTypeCountedErrors(types)) {
      own.addAll(unclaimed);
    }
    own.addAll(0, runWide);
    boolean troubled = counts == null || errorCount > 0 || !runWide.isEmpty();
    String result = switch (run) {
      // a service's sign-in, or the service stopping, holds back every type's writes
      case "needsSignIn", "interrupted" -> run;
      case "failed" -> troubled ? run : "ok";
      case "refused", "planChanged" -> own.isEmpty() ? "ok" : run;
      default -> run;
    };
    if (result.equals("ok") && !run.equals("ok")) {
      own.clear();
    }
    return new TypeResult(result, tone(result, errorCount), result(result, dryRun, errorCount), List.copyOf(own));
  }

  /** The run's result word ({@code RunOutcome}'s) as a person says it; null is a run that did not finish. */
  public static String result(String word) {
    return result(word, false);
  }

  /** {@link #result(String)}, where a dry run that went well reads "Previewed" rather than "Synced". */
  public static String result(String word, boolean dryRun) {
    return result(word, dryRun, 0);
  }

  private static String result(String word, boolean dryRun, int errors) {
    if (word == null) return "Did not finish";
    return switch (word) {
      case "ok" -> (dryRun ? "Previewed" : "Synced") + (errors == 0 ? "" : "; " + entries(errors) + " not taken yet");
      case "failed" -> "Failed";
      case "needsSignIn" -> "Stopped: a service needs you to sign in again";
      case "refused" -> "Stopped by the mass-change guard";
      case "planChanged" -> "Not applied: the lists changed since the preview";
      case "interrupted" -> "Interrupted: the service was stopping";
      case "did not finish" -> "Did not finish";
      default -> word;
    };
  }

  /** A run's result inside a sentence ("Undo of run X: ok"), never the wire's word. */
  public static String inASentence(String word) {
    if (word == null) return "did not finish";
    return word.equals("ok") || word.equals("failed") ? word : result(word).toLowerCase(Locale.ROOT);
  }

  /** {@code ok}, {@code warn} or {@code failed}: a result's colour, warn for one that went through with errors. */
  public static String tone(String word, int errors) {
    if (word == null) return "failed";
    return switch (word) {
      case "ok" -> errors == 0 ? "ok" : "warn";
      case "refused", "planChanged" -> "warn";
      default -> "failed";
    };
  }

  /** {@code status-ok}, {@code status-warn} or {@code status-failed}. */
  public static String resultClass(String word) {
    return "status-" + tone(word, 0);
  }

  /**
   * "2 created, 5 updated, 0 deleted, 40 unchanged" — or, for a plan, "2 to create, 5 to update, …" — and, where
   * there are any, held apart, unmapped, conflicts and errors: a History row's counts, every column there.
   */
  public static String counts(JsonObject c, boolean plan) {
    return String.join(", ", parts(c, plan, true));
  }

  /** "Anime: 2 created, 5 updated, 40 unchanged, 1 error": a type's counts in a sentence, writes of zero left out. */
  public static String counts(String type, JsonObject c, boolean plan) {
    return typeLabel(type) + ": " + String.join(", ", parts(c, plan, false));
  }

  private static List<String> parts(JsonObject c, boolean plan, boolean zeros) {
    List<String> parts = new ArrayList<>();
    add(parts, c.getInteger("created", 0), plan ? "to create" : "created", zeros);
    add(parts, c.getInteger("updated", 0), plan ? "to update" : "updated", zeros);
    add(parts, c.getInteger("deleted", 0), plan ? "to delete" : "deleted", zeros);
    parts.add(c.getInteger("unchanged", 0) + " unchanged");
    add(parts, c.getInteger("heldApart", 0), "held apart", false);
    add(parts, c.getInteger("unmapped", 0), "unmapped", false);
    int conflicts = c.getInteger("conflicts", 0);
    if (conflicts > 0) parts.add(count(conflicts, "conflict"));
    int errors = c.getInteger("errors", 0);
    if (errors > 0) parts.add(count(errors, "error"));
    return parts;
  }

  private static void add(List<String> parts, int n, String what, boolean zeros) {
    if (n > 0 || zeros) parts.add(n + " " + what);
  }

  /** "ANIME" → "Anime". */
  public static String typeLabel(String type) {
    if (type == null || type.isEmpty()) return "";
    return type.substring(0, 1).toUpperCase(Locale.ROOT) + type.substring(1).toLowerCase(Locale.ROOT);
  }

  /** "1 entry", "1,284 entries". */
  public static String entries(int n) {
    return String.format(Locale.ROOT, "%,d", n) + (n == 1 ? " entry" : " entries");
  }

  /** "1 problem", "3 problems": a count with its noun in the right number. */
  public static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static boolean anyTypeCountedErrors(JsonObject types) {
    for (String t : types.fieldNames()) {
      if (types.getValue(t) instanceof JsonObject c && c.getInteger("errors", 0) > 0) return true;
    }
    return false;
  }

  /** "anime", "manga" or "the run" when the error starts with it (as the run words them), else null. */
  private static String ownerOf(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.startsWith("the run")) return "the run";
    for (MediaType t : MediaType.values()) {
      String word = t.word();
      if (lower.startsWith(word + " ") || lower.startsWith(word + ":")) return text.substring(0, word.length());
    }
    return null;
  }

  /** What is left after the owner's name, as a sentence: "needs sign-in: …", ": AniList …" → "AniList …". */
  private static String sentence(String rest) {
    String s = rest.startsWith(":") ? rest.substring(1).trim() : rest.trim();
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
