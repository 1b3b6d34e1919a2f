package io.github.anilistmalsync.store;

import io.github.anilistmalsync.sync.CoreJson;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sync.core.Operation;
import io.github.anilistmalsync.sync.core.Side;
import io.vertx.core.json.JsonObject;

/**
 * One write of a run as the journal keeps it: what was planned, its status (planned, applied, failed, skipped), the
 * service's answer when it was applied, and the error or reason otherwise.
 */
public record OperationRecord(int seq, MediaType type, Side side, Operation.Kind kind, String title, Operation operation,
                              String status, JsonObject response, String error) {

  /** As the bus carries it: {seq, type, side, kind, title, operation, status, response, error}. */
  public JsonObject toJson() {
    return new JsonObject().put("seq", seq).put("type", type.name()).put("side", side.name()).put("kind", kind.name())
        .put("title", title).put("operation", CoreJson.operation(operation)).put("status", status).put("response", response)
        .put("error", error);
  }
}
