package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sync.core.Plan;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How one run ended: its outcome, each type's counts (and, for a run that did not send its plan, the plan), and what
 * went wrong. Made by {@link SyncRun}; JSON only where it leaves the coordinator ({@code sync.finished}, the answer to
 * whoever waited, the run journal).
 */
public record RunResult(String runId, RunOutcome outcome, boolean dryRun, String trigger, String mode, Instant startedAt,
                        Instant finishedAt, Map<MediaType, TypeResult> types, List<String> errors) {

  /**
   * One type's part: its counts, and what only some runs have — entries that could not be read, undo's skipped
   * writes, the user's AniList score format (so pages and webhooks show this run's scores that way), writes answered,
   * and the plan of a run that did not send it (a preview, refused, stale). A null part is left out of the JSON.
   */
  public record TypeResult(TypeCounts counts, Integer unreadable, Integer skipped, String scoreFormat, Integer applied, Plan plan) {
    public static final TypeResult NONE = new TypeResult(TypeCounts.NONE, null, null, null, null, null);

    public TypeResult withCounts(TypeCounts c) {
      return new TypeResult(c, unreadable, skipped, scoreFormat, applied, plan);
    }

    public TypeResult withUnreadable(int n) {
      return new TypeResult(counts, n, skipped, scoreFormat, applied, plan);
    }

    public TypeResult withSkipped(int n) {
      return new TypeResult(counts, unreadable, n, scoreFormat, applied, plan);
    }

    public TypeResult withScoreFormat(String f) {
      return new TypeResult(counts, unreadable, skipped, f, applied, plan);
    }

    /** One more write answered (or given up on): the apply's progress. */
    public TypeResult oneApplied() {
      return new TypeResult(counts, unreadable, skipped, scoreFormat, applied == null ? 1 : applied + 1, plan);
    }

    public TypeResult withPlan(Plan p) {
      return new TypeResult(counts, unreadable, skipped, scoreFormat, applied, p);
    }

    public JsonObject toJson() {
      JsonObject json = counts.toJson();
      if (unreadable != null) json.put("unreadable", unreadable);
      if (skipped != null) json.put("skipped", skipped);
      if (scoreFormat != null) json.put("scoreFormat", scoreFormat);
      if (applied != null) json.put("applied", applied);
      if (plan != null) json.put("plan", CoreJson.plan(plan));
      return json;
    }
  }

  /** A preview: a dry run, or an apply that found the lists changed and holds the new plan instead. */
  public boolean isPreview() {
    return isPreview(dryRun, outcome);
  }

  public static boolean isPreview(boolean dryRun, RunOutcome outcome) {
    return dryRun || outcome == RunOutcome.PLAN_CHANGED;
  }

  /** For a run as the bus and the store carry it ({dryRun, result}): one the user can apply. */
  public static boolean isPreview(JsonObject run) {
    return isPreview(Boolean.TRUE.equals(run.getBoolean("dryRun")), RunOutcome.fromWord(run.getString("result", "")));
  }

  /**
   * The result without the plans a preview or refused run carries: those can hold thousands of entries and are in the
   * store (sync.run). Only whoever waited for the run gets them; what is published, kept for sync.status and logged is this.
   */
  public RunResult withoutPlans() {
    Map<MediaType, TypeResult> bare = new LinkedHashMap<>();
    types.forEach((type, r) -> bare.put(type, r.withPlan(null)));
    return new RunResult(runId, outcome, dryRun, trigger, mode, startedAt, finishedAt, bare, errors);
  }

  /** "ok; anime: 7 created, 8 updated, 58 unchanged; manga: …": how the run ended, for a person reading the log. */
  public String summary() {
    return outcome.word() + countsSentence(counts());
  }

  /** "; anime: 7 created, 58 unchanged; manga: …", one part per type. */
  public static String countsSentence(Map<MediaType, TypeCounts> counts) {
    StringBuilder s = new StringBuilder();
    counts.forEach((type, c) -> s.append("; ").append(type.name().toLowerCase(Locale.ROOT)).append(": ").append(c.summary()));
    return s.toString();
  }

  public Map<MediaType, TypeCounts> counts() {
    Map<MediaType, TypeCounts> counts = new LinkedHashMap<>();
    types.forEach((type, r) -> counts.put(type, r.counts()));
    return counts;
  }

  /** As {@code sync.finished} carries it (see {@code Addresses.SYNC_FINISHED}) and the journal keeps it. */
  public JsonObject toJson() {
    JsonObject byType = new JsonObject();
    types.forEach((type, r) -> byType.put(type.name(), r.toJson()));
    return new JsonObject()
        .put("runId", runId)
        .put("result", outcome.word())
        .put("dryRun", dryRun)
        .put("trigger", trigger)
        .put("mode", mode)
        .put("startedAt", startedAt.toString())
        .put("finishedAt", finishedAt.toString())
        .put("types", byType)
        .put("errors", new JsonArray(List.copyOf(errors)));
  }
}
