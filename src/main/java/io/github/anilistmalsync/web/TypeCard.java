package io.github.anilistmalsync.web;

import io.github.anilistmalsync.words.RunWords;
import io.vertx.core.json.JsonObject;

/** One type's card on the dashboard: its own result in its last run, with the reasons, its counts and its next run. */
final class TypeCard {
  private TypeCard() {}

  /**
   * @param reported the type's entry in {@code sync.status} ({type, lastRun, nextRunAt}); empty when not reported
   * @param type     the type's name ("ANIME")
   */
  static JsonObject of(JsonObject reported, String type) {
    JsonObject last = reported.getValue("lastRun") instanceof JsonObject l ? l : null;
    JsonObject card = new JsonObject().put("type", type).put("label", RunWords.typeLabel(type))
        .put("nextRunAt", PageTime.exact(reported.getString("nextRunAt")));
    if (last == null) {
      return card.put("tone", "none").put("words", "never");
    }
    RunWords.TypeResult verdict = RunWords.forType(last, type);
    JsonObject counts = last.getJsonObject("types", new JsonObject()).getJsonObject(type);
    return card.put("lastRunId", last.getString("runId"))
        .put("lastRunAt", PageTime.exact(last.getString("finishedAt")))
        .put("tone", verdict.tone())
        .put("result", verdict.result())
        .put("words", verdict.words())
        .put("reasons", new io.vertx.core.json.JsonArray(verdict.reasons()))
        .put("lastCounts", counts == null ? null : RunWords.counts(counts, Boolean.TRUE.equals(last.getBoolean("dryRun"))))
        .put("counts", counts);
  }

}
