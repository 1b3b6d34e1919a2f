package io.github.anilistmalsync.store;

import io.github.anilistmalsync.sync.RunOutcome;
import io.github.anilistmalsync.sync.RunResult;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A run as the journal keeps it. {@code finishedAt}, {@code result} and {@code summary} are null while it runs (or if
 * it never finished); {@code summary} is the run's {@code sync.finished} body as it was recorded.
 */
public record RunRecord(String id, String trigger, String mode, boolean dryRun, Instant startedAt, Instant finishedAt,
                        String result, JsonObject summary) {

  /** A run the user can apply (see {@link RunResult#isPreview()}). */
  public boolean isPreview() {
    return RunResult.isPreview(dryRun, RunOutcome.fromWord(result));
  }

  /** As the bus carries it: {id, trigger, mode, dryRun, startedAt, finishedAt, result, summary}. */
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("trigger", trigger).put("mode", mode).put("dryRun", dryRun)
        .put("startedAt", startedAt.toString()).put("finishedAt", finishedAt == null ? null : finishedAt.toString())
        .put("result", result).put("summary", summary);
  }
}
