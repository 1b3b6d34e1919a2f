package io.github.anilistmalsync.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * History as a person reads it: each run labelled by when and what ("Today 14:02 · live · 3 written"), one label per
 * kind of trigger, runs that wrote nothing folded together, filters by trigger and result, and pages of
 * {@value #PAGE_SIZE} runs.
 */
final class HistoryPage {
  /** How many of the newest runs the page reads (the most the coordinator answers); filters and pages work on them. */
  static final int RUNS_READ = 500;
  static final int PAGE_SIZE = 50;

  /** Every trigger label, in the order the filter offers them. */
  private static final String[] TRIGGERS = {"schedule", "manual", "live", "preview", "apply", "undo", "settle", "after sign-in", "command line"};
  private static final String[][] RESULTS = {{"ok", "Went through"}, {"warn", "Stopped or not applied"}, {"failed", "Failed"}};

  private HistoryPage() {}

  /** One label per kind of trigger; a dry run is a preview whoever asked for it, a run that carried one out an apply. */
  static String triggerLabel(String trigger, boolean dryRun) {
    if (dryRun) return "preview";
    if (trigger == null) return "unknown";
    return switch (trigger) {
      case "preview" -> "apply";
      case "signin" -> "after sign-in";
      case "cli" -> "command line";
      default -> trigger;
    };
  }

  /**
   * @param runs    the run rows (RunPages' summaries), newest first
   * @param trigger the trigger label to keep, or null/blank for all
   * @param result  the tone to keep (ok, warn, failed), or null/blank for all
   * @param page    the 1-based page asked for (anything unreadable is the first)
   */
  static JsonObject model(JsonArray runs, String trigger, String result, String page, JsonObject model) {
    String wantTrigger = blankToNull(trigger);
    String wantResult = blankToNull(result);
    List<JsonObject> kept = new ArrayList<>();
    for (Object o : runs) {
      JsonObject run = (JsonObject) o;
      if (wantTrigger != null && !wantTrigger.equals(run.getString("triggerLabel"))) continue;
      if (wantResult != null && !wantResult.equals(run.getString("tone"))) continue;
      kept.add(run);
    }
    int pages = Math.max(1, (kept.size() + PAGE_SIZE - 1) / PAGE_SIZE);
    int current = Math.min(pages, Math.max(1, parse(page)));
    List<JsonObject> shown = kept.subList((current - 1) * PAGE_SIZE, Math.min(kept.size(), current * PAGE_SIZE));

    JsonArray triggers = new JsonArray();
    for (String t : TRIGGERS) {
      triggers.add(new JsonObject().put("value", t).put("label", t).put("selected", t.equals(wantTrigger)));
    }
    JsonArray results = new JsonArray();
    for (String[] r : RESULTS) {
      results.add(new JsonObject().put("value", r[0]).put("label", r[1]).put("selected", r[0].equals(wantResult)));
    }
    String query = (wantTrigger == null ? "" : "&trigger=" + Pages.urlPart(wantTrigger))
        + (wantResult == null ? "" : "&result=" + Pages.urlPart(wantResult));
    return model
        .put("rows", rows(shown))
        .put("empty", runs.isEmpty())
        .put("nothingMatches", !runs.isEmpty() && kept.isEmpty())
        .put("filtered", wantTrigger != null || wantResult != null)
        .put("triggers", triggers)
        .put("results", results)
        .put("page", current)
        .put("pages", pages)
        .put("newerHref", current > 1 ? "/history?page=" + (current - 1) + query : null)
        .put("olderHref", current < pages ? "/history?page=" + (current + 1) + query : null);
  }

  /** The runs as rows, each stretch of two or more quiet runs folded into one. */
  private static JsonArray rows(List<JsonObject> runs) {
    JsonArray rows = new JsonArray();
    List<JsonObject> quiet = new ArrayList<>();
    for (JsonObject run : runs) {
      if (quiet(run)) {
        quiet.add(run);
        continue;
      }
      fold(quiet, rows);
      rows.add(new JsonObject().put("run", run));
    }
    fold(quiet, rows);
    return rows;
  }

  private static void fold(List<JsonObject> quiet, JsonArray rows) {
    if (quiet.size() == 1) {
      rows.add(new JsonObject().put("run", quiet.get(0)));
    } else if (quiet.size() > 1) {
      JsonObject newest = quiet.get(0);
      JsonObject oldest = quiet.get(quiet.size() - 1);
      rows.add(new JsonObject().put("quiet", new JsonObject()
          .put("count", quiet.size())
          .put("from", oldest.getValue("startedAtTime"))
          .put("to", newest.getValue("startedAtTime"))
          .put("runs", new JsonArray(new ArrayList<>(quiet)))));
    }
    quiet.clear();
  }

  /** A run that went through and wrote (or, as a preview, planned) nothing, with nothing to say. */
  private static boolean quiet(JsonObject run) {
    return "ok".equals(run.getString("tone")) && run.getInteger("written", 0) == 0 && run.getInteger("planned", 0) == 0
        && run.getJsonArray("errors", new JsonArray()).isEmpty();
  }

  private static int parse(String page) {
    try {
      return page == null ? 1 : Integer.parseInt(page.trim());
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
