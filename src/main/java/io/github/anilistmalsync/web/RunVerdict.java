package io.github.anilistmalsync.web;

import io.github.anilistmalsync.model.MediaType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How one type fared in a run, worked out from the counts and errors the run recorded for that type, so a run whose
 * anime failed does not show its manga as failed too: the type's own result, in words, a tone for its colour, and
 * the reasons that belong to it.
 *
 * @param result the run's result word as it applies to this type ({@code ok}, {@code failed}, …)
 * @param tone   {@code ok}, {@code warn} or {@code failed}: the status colour class
 * @param words  the result as a person says it
 * @param reasons what went wrong for this type, in the run's own sentences
 */
record RunVerdict(String result, String tone, String words, List<String> reasons) {

  /** The verdict for {@code type} (e.g. "ANIME") of a {@code sync.finished}-shaped summary. */
  static RunVerdict of(JsonObject summary, String type) {
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
    return new RunVerdict(result, tone(result, errorCount), words(result, dryRun, errorCount), List.copyOf(own));
  }

  /** The run's result for the whole run, as a person says it. */
  static String words(String result, boolean dryRun) {
    return words(result, dryRun, 0);
  }

  private static String words(String result, boolean dryRun, int errors) {
    return switch (result) {
      case "ok" -> (dryRun ? "Previewed" : "Synced")
          + (errors == 0 ? "" : "; " + entries(errors) + " not taken yet");
      case "failed" -> "Failed";
      case "needsSignIn" -> "Stopped: a service needs sign-in";
      case "refused" -> "Stopped by the mass-change guard";
      case "planChanged" -> "Not applied: the lists changed since the preview";
      case "interrupted" -> "Interrupted: the service was stopping";
      case "did not finish" -> "Did not finish";
      default -> result;
    };
  }

  /** A run's result inside a sentence ("Undo of run X: ok"), never the wire's word. */
  static String inASentence(String result) {
    if (result == null) return "did not finish";
    return result.equals("ok") || result.equals("failed") ? result : words(result, false).toLowerCase(Locale.ROOT);
  }

  static String tone(String result, int errors) {
    return switch (result) {
      case "ok" -> errors == 0 ? "ok" : "warn";
      case "refused", "planChanged" -> "warn";
      default -> "failed";
    };
  }

  /** Whether this verdict is one the user has to know about. */
  boolean failed() {
    return tone.equals("failed");
  }

  /** "2 created, 5 updated, 0 deleted, 40 unchanged" and, where there are any, held apart, unmapped, conflicts, errors. */
  static String countsText(JsonObject c, boolean dryRun) {
    StringBuilder s = new StringBuilder();
    s.append(c.getInteger("created", 0)).append(dryRun ? " to create, " : " created, ")
        .append(c.getInteger("updated", 0)).append(dryRun ? " to update, " : " updated, ")
        .append(c.getInteger("deleted", 0)).append(dryRun ? " to delete, " : " deleted, ")
        .append(c.getInteger("unchanged", 0)).append(" unchanged");
    extra(s, c.getInteger("heldApart", 0), "held apart", "held apart");
    extra(s, c.getInteger("unmapped", 0), "unmapped", "unmapped");
    extra(s, c.getInteger("conflicts", 0), "conflict", "conflicts");
    extra(s, c.getInteger("errors", 0), "error", "errors");
    return s.toString();
  }

  private static void extra(StringBuilder s, int n, String one, String many) {
    if (n > 0) s.append(", ").append(n).append(' ').append(n == 1 ? one : many);
  }

  static String entries(int n) {
    return String.format(Locale.ROOT, "%,d", n) + (n == 1 ? " entry" : " entries");
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
