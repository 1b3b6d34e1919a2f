package io.github.anilistmalsync.sync;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;

/**
 * Runs syncs one at a time. A request for the same work as the running (or an already queued) run joins it and
 * gets its run id; a different one waits its turn. Used only from the coordinator's event loop.
 */
final class RunQueue {
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** A run that was asked for: its id, what it does, and its result once done. */
  record Ticket(String runId, RunRequest request, Promise<JsonObject> result) {
    Future<JsonObject> done() {
      return result.future();
    }
  }

  private final BiFunction<String, RunRequest, Future<JsonObject>> executor;
  private final Deque<Ticket> waiting = new ArrayDeque<>();
  private Ticket running;
  private boolean closed;

  RunQueue(BiFunction<String, RunRequest, Future<JsonObject>> executor) {
    this.executor = executor;
  }

  /** Queues (or joins) a run and returns its ticket at once; the run starts as soon as nothing else runs. */
  Ticket submit(RunRequest request, Instant now) {
    if (running != null && running.request().sameWorkAs(request)) return running;
    for (Ticket t : waiting) {
      if (t.request().sameWorkAs(request)) return t;
    }
    Ticket ticket = new Ticket(newRunId(now), request, Promise.promise());
    waiting.add(ticket);
    startNext();
    return ticket;
  }

  String runningId() {
    return running == null ? null : running.runId();
  }

  /** No new run starts after this; the running one is left to finish (the coordinator tells it to stop). */
  Future<JsonObject> close() {
    closed = true;
    waiting.forEach(t -> t.result().tryFail("the service is stopping"));
    waiting.clear();
    return running == null ? Future.succeededFuture() : running.done();
  }

  private void startNext() {
    if (running != null || closed || waiting.isEmpty()) return;
    Ticket next = waiting.poll();
    running = next;
    Future<JsonObject> outcome;
    try {
      outcome = executor.apply(next.runId(), next.request());
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    outcome.onComplete(ar -> {
      running = null;
      if (ar.succeeded()) next.result().tryComplete(ar.result());
      else next.result().tryFail(ar.cause());
      startNext();
    });
  }

  private static String newRunId(Instant now) {
    return ID_TIME.format(now) + "-" + Integer.toHexString(0x1000 + ThreadLocalRandom.current().nextInt(0xF000));
  }
}
