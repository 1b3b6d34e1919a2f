package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.model.MediaType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The check between planning and writing when a run carries out a preview: each type's fresh plan waits here until
 * every type has planned; then all of them go if each would write exactly what the preview showed, and none does
 * otherwise. A user who approved a plan gets that plan or nothing, never half of it or something else.
 * Used only from the coordinator's event loop.
 */
final class PreviewGate {
  private final JsonObject previewed;
  private final Set<MediaType> pending;
  private final Promise<Boolean> verdict = Promise.promise();
  private boolean allSame = true;

  /** {@code previewed}: the preview's plans by type name, as {@link Plan#toJson()} recorded them. */
  private PreviewGate(JsonObject previewed, Set<MediaType> types) {
    this.previewed = previewed;
    this.pending = types.isEmpty() ? EnumSet.noneOf(MediaType.class) : EnumSet.copyOf(types);
  }

  /** The gate of an ordinary run: every plan goes at once. */
  static PreviewGate none() {
    return new PreviewGate(null, Set.of());
  }

  static PreviewGate of(JsonObject previewed, Set<MediaType> types) {
    return new PreviewGate(previewed == null ? new JsonObject() : previewed, types);
  }

  /** Answers, once every type is in, whether this type's plan may be applied. */
  Future<Boolean> check(MediaType type, Plan plan) {
    if (previewed == null) return Future.succeededFuture(true);
    JsonObject shown = previewed.getJsonObject(type.name());
    if (shown == null || !writes(shown).equals(writes(plan.toJson()))) allSame = false;
    arrive(type);
    return verdict.future();
  }

  /** A type that could not be planned: the others do not go either. */
  void failed(MediaType type) {
    if (previewed == null) return;
    allSame = false;
    arrive(type);
  }

  private void arrive(MediaType type) {
    pending.remove(type);
    if (pending.isEmpty()) verdict.tryComplete(allSame);
  }

  /** What a plan would send, in a canonical order: target, kind, pair and each field's before and after. */
  static List<String> writes(JsonObject plan) {
    List<String> out = new ArrayList<>();
    for (Object o : plan.getJsonArray("operations", new JsonArray())) {
      if (o instanceof JsonObject op) {
        out.add(new JsonObject()
            .put("key", op.getValue("key"))
            .put("target", op.getValue("target"))
            .put("kind", op.getValue("kind"))
            .put("changes", op.getValue("changes"))
            .encode());
      }
    }
    out.sort(String::compareTo);
    return out;
  }
}
