package io.github.anilistmalsync.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** One run with every write it planned, in order, and its plans keyed by type (as they were recorded). */
public record RunDetail(RunRecord run, List<OperationRecord> operations, JsonObject plans) {

  /** As the bus carries it: the run's fields, {@code operations} and {@code plans}. */
  public JsonObject toJson() {
    JsonArray ops = new JsonArray();
    operations.forEach(op -> ops.add(op.toJson()));
    return run.toJson().put("operations", ops).put("plans", plans);
  }
}
