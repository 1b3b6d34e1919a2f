package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.bus.FailureKind;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.model.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's result while it runs: the outcome so far, the errors said, each type's part. Its phases (and the
 * types, side by side on one event loop) add to it; {@link #result} makes the {@link RunResult} at the end.
 */
final class RunTally {
  private static final Logger LOG = LoggerFactory.getLogger(RunTally.class);

  private final String runId;
  private RunOutcome outcome = RunOutcome.OK;
  private final List<String> errors = new ArrayList<>();
  private final Map<MediaType, RunResult.TypeResult> types = new EnumMap<>(MediaType.class);
  /** The types in the order they finished, as the result lists them. */
  private final Map<MediaType, RunResult.TypeResult> finished = new LinkedHashMap<>();

  RunTally(String runId) {
    this.runId = runId;
  }

  RunOutcome outcome() {
    return outcome;
  }

  void worst(RunOutcome o) {
    outcome = outcome.worst(o);
  }

  void error(String text) {
    errors.add(text);
  }

  void update(MediaType type, UnaryOperator<RunResult.TypeResult> change) {
    types.put(type, change.apply(types.getOrDefault(type, RunResult.TypeResult.NONE)));
  }

  void counts(MediaType type, UnaryOperator<TypeCounts> change) {
    update(type, r -> r.withCounts(change.apply(r.counts())));
  }

  RunResult.TypeResult of(MediaType type) {
    return types.getOrDefault(type, RunResult.TypeResult.NONE);
  }

  /** The type is done: it joins the result in the order the types finished. */
  void finish(MediaType type) {
    finished.put(type, of(type));
  }

  /** Marks the run as failed for {@code what}; an auth failure means that service needs sign-in. */
  void fail(ServiceException e, String what) {
    if (e.kind() == FailureKind.AUTH_EXPIRED) {
      worst(RunOutcome.NEEDS_SIGN_IN);
      errors.add(what + " needs sign-in: " + e.getMessage());
      LOG.warn("run {}: {} needs sign-in ({}); no further writes in this run", runId, what, e.getMessage());
    } else {
      worst(RunOutcome.FAILED);
      errors.add(what + ": " + e.getMessage());
      LOG.warn("run {}: {} failed: {}", runId, what, e.getMessage());
    }
  }

  RunResult result(RunRequest request, String mode, Instant started, Instant finishedAt) {
    return new RunResult(runId, outcome, request.dryRun(), request.trigger(), mode, started, finishedAt,
        new LinkedHashMap<>(finished), List.copyOf(errors));
  }
}
