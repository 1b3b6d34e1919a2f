package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sync.core.Change;
import io.github.anilistmalsync.sync.core.Operation;
import io.github.anilistmalsync.sync.core.PairKey;
import io.github.anilistmalsync.sync.core.Plan;
import io.github.anilistmalsync.sync.core.Side;
import io.github.anilistmalsync.sync.core.Unit;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

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

  /** {@code previewed}: the preview's plans by type name, as {@link CoreJson#plan} recorded them. */
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
    if (shown == null || !writes(CoreJson.operations(shown)).equals(writes(plan.operations()))) allSame = false;
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

  /** What a plan would send, as a count of each write: pair, target, kind and each unit's before and after. */
  static Map<Write, Long> writes(List<Operation> operations) {
    return operations.stream()
        .map(op -> new Write(op.key(), op.target(), op.kind(), op.changes()))
        .collect(Collectors.groupingBy(w -> w, Collectors.counting()));
  }

  /** One write as the user approves it: the title and the reason are words about it, not part of it. */
  record Write(PairKey key, Side target, Operation.Kind kind, Map<Unit, Change<?>> changes) {}
}
