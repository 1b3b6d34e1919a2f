package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.bus.FailureKind;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.metrics.ServiceMetrics;
import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sync.core.Change;
import io.github.anilistmalsync.sync.core.Operation;
import io.github.anilistmalsync.sync.core.Plan;
import io.github.anilistmalsync.sync.core.Refusal;
import io.github.anilistmalsync.sync.core.Side;
import io.github.anilistmalsync.sync.core.Unit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply step of one run: sends each type's planned writes, records what became of each (and each pair's new
 * baseline with its last answered write), counts them in the run's tally, and remembers what a service refused.
 */
final class WriteApplier {
  private static final Logger LOG = LoggerFactory.getLogger(WriteApplier.class);
  /** Writes in flight per service: the client's limiter paces them, this only keeps its queue short. */
  private static final int WRITES_IN_FLIGHT = 2;

  private final SyncRun.Deps deps;
  private final String runId;
  private final RunTally tally;
  private final ProgressPublisher progress;

  WriteApplier(SyncRun.Deps deps, String runId, RunTally tally, ProgressPublisher progress) {
    this.deps = deps;
    this.runId = runId;
    this.tally = tally;
    this.progress = progress;
  }

  /**
   * Sends the plan's writes, one queue per service so each goes at its own pace, and records each pair as soon
   * as all of its writes are answered. Stops sending at the first auth failure or when the service stops.
   */
  Future<Void> apply(MediaType type, Plan plan, int firstSeq, List<AniListEntry> aniList, List<MalEntry> mal, String undoNote) {
    PairTracker tracker = new PairTracker(plan, aniList, mal, deps.clock().get(), undoNote);
    Deque<Integer> toAniList = new ArrayDeque<>();
    Deque<Integer> toMal = new ArrayDeque<>();
    for (int i = 0; i < plan.operations().size(); i++) {
      (plan.operations().get(i).target() == Side.ANILIST ? toAniList : toMal).add(i);
    }
    Apply state = new Apply(type, plan, firstSeq, tracker);
    List<Future<Void>> lanes = new ArrayList<>();
    for (Deque<Integer> queue : List.of(toAniList, toMal)) {
      for (int i = 0; i < WRITES_IN_FLIGHT; i++) {
        lanes.add(drain(state, queue));
      }
    }
    return Future.all(lanes).mapEmpty();
  }

  /** The apply phase of one type. */
  private record Apply(MediaType type, Plan plan, int firstSeq, PairTracker tracker) {}

  private Future<Void> drain(Apply a, Deque<Integer> queue) {
    Integer index = queue.poll();
    if (index == null) return Future.succeededFuture();
    Operation op = a.plan().operations().get(index);
    int seq = a.firstSeq() + index;
    Instant now = deps.clock().get();
    if (tally.outcome() == RunOutcome.NEEDS_SIGN_IN || deps.stopping().getAsBoolean()) {
      boolean stopping = deps.stopping().getAsBoolean();
      if (stopping) tally.worst(RunOutcome.INTERRUPTED);
      return deps.store().journal().markSkipped(runId, seq, "not sent: " + (stopping ? "the service is stopping" : "a service needs sign-in"), now)
          .recover(e -> Future.succeededFuture())
          .compose(v -> drain(a, queue));
    }
    return deps.gateway().write(address(op), body(a.type(), op))
        .compose(reply -> {
          String key = switch (op.kind()) {
            case CREATE -> "created";
            case UPDATE -> "updated";
            case DELETE -> "deleted";
          };
          tally.counts(a.type(), c -> c.written(op.kind()));
          ServiceMetrics.entryChanged(a.type().word(), op.target().name().toLowerCase(Locale.ROOT), key,
              op.kind() == Operation.Kind.DELETE ? List.of("entry") : CoreJson.wire(op.target()).fields(op).fieldNames());
          PairTracker.Settled settled = a.tracker().applied(op, reply);
          return recordRefusedFields(a.type(), op, reply)
              .compose(v -> deps.store().journal().markApplied(runId, seq, reply, settled.baseline(), settled.dropped(), deps.clock().get()));
        }, failure -> {
          ServiceException e = ServiceException.from(failure);
          tally.counts(a.type(), TypeCounts::withError);
          a.tracker().failed(op);
          if (e.kind() == FailureKind.REFUSED) {
            // one entry the service will not take yet: said once, tried again a day later, the run goes on
            tally.error(op.title() + " on " + op.target().label() + ": " + e.getMessage() + " (tried again in a day)");
            return deps.store().pairs().recordRefusal(new Refusal(op.key(), op.target(), null, null, e.getMessage(), deps.clock().get()))
                .compose(v -> deps.store().journal().markFailed(runId, seq, e.getMessage(), deps.clock().get()));
          }
          if (e.kind() == FailureKind.AUTH_EXPIRED) {
            tally.fail(e, op.target().label());
          } else {
            tally.worst(RunOutcome.FAILED);
            tally.error(op.title() + " on " + op.target().label() + ": " + e.getMessage());
          }
          return deps.store().journal().markFailed(runId, seq, e.getMessage(), deps.clock().get());
        })
        .recover(e -> {
          LOG.error("run {}: could not record the result of a write to {}: {}", runId, op.title(), e.getMessage());
          tally.worst(RunOutcome.FAILED);
          return Future.succeededFuture();
        })
        .compose(v -> {
          tally.update(a.type(), RunResult.TypeResult::oneApplied);
          int done = tally.of(a.type()).applied();
          progress.phase("apply", a.type(), done, a.plan().operations().size(), op.title());
          return drain(a, queue);
        });
  }

  /**
   * A save the service took without some fields it named ({@code refused} in the answer): each is remembered with
   * the value sent and the service's reason, said once in this run's errors, and not sent again until it changes.
   */
  private Future<Void> recordRefusedFields(MediaType type, Operation op, JsonObject reply) {
    JsonArray refused = reply == null ? null : reply.getJsonArray("refused");
    if (refused == null || refused.isEmpty()) return Future.succeededFuture();
    Future<Void> chain = Future.succeededFuture();
    for (Object item : refused) {
      if (!(item instanceof JsonObject r)) continue;
      Unit unit = CoreJson.wire(op.target()).unitOf(type, r.getString("field", ""));
      if (unit == null) continue;
      Change<?> sent = op.changes().get(unit);
      String reason = r.getString("reason", "refused");
      tally.error(op.title() + " on " + op.target().label() + ": " + unit.configName() + " not saved: " + reason
          + " (the other fields were saved; not sent again until it changes)");
      chain = chain.compose(v -> deps.store().pairs().recordRefusal(new Refusal(op.key(), op.target(), unit, sent == null ? "" : sent.afterText(), reason,
          deps.clock().get())));
    }
    return chain;
  }

  private static String address(Operation op) {
    boolean delete = op.kind() == Operation.Kind.DELETE;
    if (op.target() == Side.ANILIST) return delete ? Addresses.ANILIST_ENTRY_DELETE : Addresses.ANILIST_ENTRY_SAVE;
    return delete ? Addresses.MAL_ENTRY_DELETE : Addresses.MAL_ENTRY_SAVE;
  }

  private static JsonObject body(MediaType type, Operation op) {
    JsonObject body = new JsonObject().put("type", type.name());
    if (op.target() == Side.ANILIST) {
      body.put("mediaId", op.key().aniListId().value());
      if (op.anilistEntryId() != null) body.put("entryId", op.anilistEntryId());
    } else {
      body.put("malId", op.key().malId().value()).put("title", op.title());
    }
    if (op.kind() != Operation.Kind.DELETE) body.put("fields", CoreJson.wire(op.target()).fields(op));
    return body;
  }
}
