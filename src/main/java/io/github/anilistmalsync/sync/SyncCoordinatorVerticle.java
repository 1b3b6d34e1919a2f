package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.bus.BusReplies;
import io.github.anilistmalsync.bus.FailureKind;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.config.ConfigInForce;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.store.Backups;
import io.github.anilistmalsync.store.ConflictRecord;
import io.github.anilistmalsync.store.PairNotes;
import io.github.anilistmalsync.store.RunJournal;
import io.github.anilistmalsync.store.RunRecord;
import io.github.anilistmalsync.store.StateStore;
import io.github.anilistmalsync.store.UnmappedRecord;
import io.github.anilistmalsync.sync.core.Side;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync coordinator: owns the state store, runs one sync at a time ({@link RunQueue}), starts them on the
 * schedule of each type and on triggers from the bus, and publishes how each ended. The work of one run is in
 * {@link SyncRun}; the decisions are in the pure core ({@link SyncPlanner}).
 */
public class SyncCoordinatorVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(SyncCoordinatorVerticle.class);

  private final Clock clock;
  private final boolean scheduled;
  private ConfigInForce config;
  private StateStore store;
  private RunQueue queue;
  private volatile boolean stopping;
  private final Map<MediaType, Instant> nextRunAt = new EnumMap<>(MediaType.class);
  private final Map<MediaType, RunResult> lastRun = new EnumMap<>(MediaType.class);
  private long timerId = -1;
  /** Live sync (see {@link LivePoller}): the poller, its timer, and the interval tests may set below the config's floor. */
  private LivePoller live;
  private long liveTimerId = -1;
  private Duration liveEvery;

  /** {@code scheduled}: syncs at start and on each type's interval; false runs only on triggers (run --once, tests). */
  public SyncCoordinatorVerticle(Clock clock, boolean scheduled) {
    this.clock = clock;
    this.scheduled = scheduled;
  }

  /** As above, with live polls every {@code liveEvery} (tests: polls without waiting a minute; null = the config's). */
  public SyncCoordinatorVerticle(Clock clock, boolean scheduled, Duration liveEvery) {
    this(clock, scheduled);
    this.liveEvery = liveEvery;
  }

  @Override
  public Future<?> start() {
    config = new ConfigInForce(config());
    ServiceGateway gateway = new ServiceGateway(vertx);
    return StateStore.open(vertx, config.get().dataDir().resolve("state.db")).compose(opened -> {
      store = opened;
      Backups backups = new Backups(vertx, config.get().dataDir().resolve("backups"), config.get().integer("backups.keep"));
      SyncRun.Deps deps = new SyncRun.Deps(vertx, config, store, backups, gateway, clock::instant, () -> stopping);
      live = new LivePoller(store, gateway, clock::instant);
      queue = new RunQueue((runId, request) -> request.live()
          ? livePoll(deps, runId, request)
          : runAndPublish(new SyncRun(deps, runId, request), runId, request));
      return Future.all(List.of(
          answer(Addresses.SYNC_PING, body -> Future.succeededFuture(new JsonObject().put("verticle", "sync"))),
          answer(Addresses.SYNC_TRIGGER, this::trigger),
          answer(Addresses.SYNC_STATUS, this::status),
          answer(Addresses.SYNC_UNDO, this::undo),
          answer(Addresses.SYNC_APPLY, this::apply),
          answer(Addresses.SYNC_RUNS, this::runs),
          answer(Addresses.SYNC_RUN, this::run),
          answer(Addresses.SYNC_UNMAPPED, this::unmapped),
          answer(Addresses.SYNC_SETTLE, this::settle),
          answer(Addresses.SYNC_LIVE_POLL, this::livePollNow),
          vertx.eventBus().<JsonObject>consumer(Addresses.AUTH_STATE, this::onAuthState).completion(),
          config.follow(vertx.eventBus(), (before, after) -> onConfigChanged()),
          new LibraryRequests(vertx, store, gateway, clock::instant).register()));
    }).onSuccess(v -> {
      if (scheduled) {
        config.get().types().forEach(t -> nextRunAt.put(t, clock.instant()));
        armTimer();
        armLive();
      }
    });
  }

  /** A request consumer whose answer is {@code work}'s Future, through {@link BusReplies#answer}. */
  private Future<Void> answer(String address, Function<JsonObject, Future<JsonObject>> work) {
    return vertx.eventBus().<JsonObject>consumer(address, msg -> BusReplies.answer(msg, work)).completion();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    if (timerId >= 0) vertx.cancelTimer(timerId);
    if (liveTimerId >= 0) vertx.cancelTimer(liveTimerId);
    Future<JsonObject> running = queue == null ? Future.succeededFuture() : queue.close();
    // the writes already sent are waited for, within the 10 s a container gets between SIGTERM and SIGKILL
    return running.timeout(8, TimeUnit.SECONDS).otherwiseEmpty()
        .eventually(() -> store == null ? Future.succeededFuture() : store.close());
  }

  /** {@code sync.trigger}: queues a run; answers its id at once, or how it ended when asked to wait. */
  private Future<JsonObject> trigger(JsonObject body) {
    RunRequest request;
    try {
      request = RunRequest.fromTrigger(body, config.get().types(), config.get().dryRun());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new ServiceException(FailureKind.INVALID, "bad sync trigger: " + e.getMessage()));
    }
    if (stopping) return Future.failedFuture(new ServiceException(FailureKind.UNAVAILABLE, "the service is stopping"));
    RunQueue.Ticket ticket = queue.submit(request, clock.instant());
    return body.getBoolean("wait", false) ? ticket.done()
        : Future.succeededFuture(new JsonObject().put("runId", ticket.runId()).put("dryRun", request.dryRun()));
  }

  /** Undoes a run (default: the last that wrote) as a run of its own, and answers how it ended. */
  private Future<JsonObject> undo(JsonObject body) {
    String asked = body.getString("runId");
    Future<String> target = asked != null ? Future.succeededFuture(asked) : store.journal().lastRunThatWrote();
    return target.compose(runId -> {
      if (runId == null) return Future.failedFuture(new ServiceException(FailureKind.NOT_FOUND, "no run has written anything yet"));
      return store.journal().typesWritten(runId).compose(types -> {
        if (types.isEmpty()) {
          return Future.failedFuture(new ServiceException(FailureKind.NOT_FOUND, "run " + runId + " wrote nothing (or does not exist)"));
        }
        return queue.submit(RunRequest.undo(runId, EnumSet.copyOf(types)), clock.instant()).done()
            .map(result -> result.copy().put("undoOf", runId));
      });
    });
  }

  /** Carries out what a preview showed, as a run of its own (see {@link PreviewGate}), and answers how it ended. */
  private Future<JsonObject> apply(JsonObject body) {
    String previewId = body.getString("runId");
    if (previewId == null || previewId.isBlank()) {
      return Future.failedFuture(new ServiceException(FailureKind.INVALID, "which preview? give its runId"));
    }
    if (config.get().dryRun()) {
      return Future.failedFuture(new ServiceException(FailureKind.INVALID, "sync.dry_run is on in the config: turn it off to apply a preview"));
    }
    return store.journal().run(previewId).compose(preview -> {
      if (preview == null) return Future.failedFuture(new ServiceException(FailureKind.NOT_FOUND, "no run " + previewId));
      if (!preview.run().isPreview()) {
        return Future.failedFuture(new ServiceException(FailureKind.INVALID, "run " + previewId + " was not a preview"));
      }
      Set<MediaType> types = EnumSet.noneOf(MediaType.class);
      for (String name : preview.plans().fieldNames()) {
        MediaType type = MediaType.parse(name);
        if (config.get().types().contains(type)) types.add(type);
      }
      if (types.isEmpty()) {
        return Future.failedFuture(new ServiceException(FailureKind.INVALID, "preview " + previewId + " holds no plan of a type synced now"));
      }
      return queue.submit(RunRequest.apply(previewId, types), clock.instant()).done()
          .map(result -> result.copy().put("applyOf", previewId));
    });
  }

  /** {@code sync.runs}: the newest runs (at most 500). */
  private Future<JsonObject> runs(JsonObject body) {
    return store.journal().runs(Math.max(1, Math.min(500, body.getInteger("limit", 50))))
        .map(runs -> new JsonObject().put("runs", new JsonArray(runs.stream().map(RunRecord::toJson).toList())));
  }

  /** {@code sync.run}: one run with its writes and plans. */
  private Future<JsonObject> run(JsonObject body) {
    String runId = body.getString("runId", "");
    return store.journal().run(runId).compose(run -> run == null
        ? Future.failedFuture(new ServiceException(FailureKind.NOT_FOUND, "no run " + body.getString("runId")))
        : Future.succeededFuture(run.toJson()));
  }

  /** {@code sync.unmapped}: the entries not paired, recent conflicts, and the pairs held apart. */
  private Future<JsonObject> unmapped(JsonObject body) {
    return store.pairs().unmapped().compose(unmapped -> store.journal().recentConflicts(100).compose(conflicts -> store.pairs().heldApart()
        .map(held -> new JsonObject().put("unmapped", new JsonArray(unmapped.stream().map(UnmappedRecord::toJson).toList()))
            .put("conflicts", new JsonArray(conflicts.stream().map(ConflictRecord::toJson).toList()))
            .put("heldApart", new JsonArray(held.stream().map(PairNotes.Held::toJson).toList())))));
  }

  /** The user chose which side's values a pair held apart keeps: recorded, then a run of that type carries it out. */
  private Future<JsonObject> settle(JsonObject body) {
    MediaType type = MediaType.parse(body.getString("type"));
    MalId malId = new MalId(body.getInteger("malId"));
    Side keep = Side.valueOf(body.getString("keep", "").toUpperCase(Locale.ROOT));
    return store.pairs().requestSettle(type, malId, keep, clock.instant()).compose(held -> {
      if (!held) {
        return Future.failedFuture(new ServiceException(FailureKind.NOT_FOUND,
            type.word() + " MAL " + malId.value() + " is not held apart (any more): nothing to settle"));
      }
      RunQueue.Ticket ticket = queue.submit(new RunRequest(EnumSet.of(type), config.get().dryRun(), false, "settle"), clock.instant());
      return Future.succeededFuture(new JsonObject().put("runId", ticket.runId()));
    });
  }

  /** A run that stopped because a service needed sign-in is made up as soon as that service is signed in. */
  private void onAuthState(Message<JsonObject> msg) {
    if (!scheduled || stopping || !"signedIn".equals(msg.body().getString("state"))) return;
    Set<MediaType> waiting = EnumSet.noneOf(MediaType.class);
    lastRun.forEach((type, result) -> {
      if (result.outcome() == RunOutcome.NEEDS_SIGN_IN) waiting.add(type);
    });
    if (!waiting.isEmpty()) {
      LOG.info("{} signed in: syncing {} now", msg.body().getString("service"), waiting);
      queue.submit(new RunRequest(waiting, config.get().dryRun(), false, "signin"), clock.instant());
    }
  }

  /** {@code sync.status}: what runs when, how the last ended, and the totals (null when they cannot be read). */
  private Future<JsonObject> status(JsonObject body) {
    return store.journal().totals().map(RunJournal.Totals::toJson).otherwise((JsonObject) null).map(this::statusOf);
  }

  private JsonObject statusOf(JsonObject totals) {
    JsonArray types = new JsonArray();
    for (MediaType type : config.get().types()) {
      Instant next = nextRunAt.get(type);
      types.add(new JsonObject()
          .put("type", type.name())
          .put("lastRun", lastRun.containsKey(type) ? lastRun.get(type).toJson() : null)
          .put("nextRunAt", next == null ? null : next.toString())
          .put("intervalMinutes", config.get().intervalMinutes(type)));
    }
    return new JsonObject().put("running", queue.runningId()).put("dryRun", config.get().dryRun()).put("mode", config.get().mode())
        .put("totals", totals).put("types", types).put("live", liveStatus());
  }

  private void onConfigChanged() {
    LOG.info("config reloaded: mode {}, types {}, dry run {}", config.get().mode(), config.get().types(), config.get().dryRun());
    if (scheduled) {
      Instant now = clock.instant();
      nextRunAt.keySet().retainAll(config.get().types());
      for (MediaType type : config.get().types()) {
        RunResult last = lastRun.get(type);
        Instant from = last == null ? now : last.finishedAt();
        nextRunAt.put(type, max(now, from.plus(Duration.ofMinutes(config.get().intervalMinutes(type)))));
      }
      armTimer();
      armLive();
    }
  }

  /**
   * Runs, then keeps, logs and publishes the result without its plans (those can hold thousands of entries and are in
   * the store: sync.run); only whoever waited for the run gets them in its answer.
   */
  private Future<JsonObject> runAndPublish(SyncRun run, String runId, RunRequest request) {
    LOG.info("run {}: starting ({}, {}, {})", runId, request.trigger(), request.types(), request.dryRun() ? "dry run" : config.get().mode());
    return run.execute().map(result -> {
      RunResult summary = result.withoutPlans();
      for (MediaType type : request.types()) {
        lastRun.put(type, summary);
        if (scheduled) nextRunAt.put(type, summary.finishedAt().plus(Duration.ofMinutes(config.get().intervalMinutes(type))));
      }
      LOG.info("run {}: {}", runId, result.summary());
      vertx.eventBus().publish(Addresses.SYNC_FINISHED, summary.toJson());
      if (scheduled) armTimer();
      return result.toJson();
    });
  }

  /** One timer, set for the earliest type that is due; when it fires, every due type syncs in one run. */
  private void armTimer() {
    if (timerId >= 0) vertx.cancelTimer(timerId);
    timerId = -1;
    if (stopping || nextRunAt.isEmpty()) return;
    Instant earliest = nextRunAt.values().stream().min(Instant::compareTo).orElseThrow();
    long delay = Math.max(1, Duration.between(clock.instant(), earliest).toMillis());
    timerId = vertx.setTimer(delay, id -> {
      timerId = -1;
      Instant now = clock.instant();
      Set<MediaType> due = EnumSet.noneOf(MediaType.class);
      nextRunAt.forEach((type, at) -> {
        if (!at.isAfter(now)) due.add(type);
      });
      // a due type is not due again until its run finishes (runAndPublish sets the next time)
      due.forEach(type -> nextRunAt.put(type, now.plus(Duration.ofDays(365))));
      if (!due.isEmpty()) queue.submit(new RunRequest(due, config.get().dryRun(), false, "schedule"), now);
      armTimer();
    });
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  // ---- live sync: polls between full syncs ----------------------------------------------------------------------

  /** The live interval in force: the test's, else {@code sync.live_seconds} (null when live sync is off). */
  private Duration liveInterval() {
    if (liveEvery != null) return liveEvery;
    int seconds = config.get().integer("sync.live_seconds");
    return seconds <= 0 ? null : Duration.ofSeconds(seconds);
  }

  /** Sets the next poll one interval from now; a poll queues behind a running sync and never joins one. */
  private void armLive() {
    if (liveTimerId >= 0) vertx.cancelTimer(liveTimerId);
    liveTimerId = -1;
    Duration every = liveInterval();
    if (stopping || every == null || config.get().types().isEmpty()) return;
    liveTimerId = vertx.setTimer(Math.max(1, every.toMillis()), id -> {
      liveTimerId = -1;
      queue.submit(liveRequest(config.get().dryRun()), clock.instant()).done().onComplete(ar -> armLive());
    });
  }

  private RunRequest liveRequest(boolean dryRun) {
    return new RunRequest(EnumSet.copyOf(config.get().types()), dryRun, false, LivePoller.TRIGGER);
  }

  /** {@code sync.live.poll}: one poll now (tests, and a user who does not want to wait for the tick). */
  private Future<JsonObject> livePollNow(JsonObject body) {
    if (stopping) return Future.failedFuture(new ServiceException(FailureKind.UNAVAILABLE, "the service is stopping"));
    if (config.get().types().isEmpty()) return Future.succeededFuture(new JsonObject().put("result", "off"));
    boolean dryRun = config.get().dryRun() || body.getBoolean("dryRun", false);
    return queue.submit(liveRequest(dryRun), clock.instant()).done();
  }

  /** One poll through the queue; a poll that carries news runs as a {@link SyncRun} of its own (trigger live). */
  private Future<JsonObject> livePoll(SyncRun.Deps deps, String runId, RunRequest request) {
    return live.poll(request.types(), (types, lists) -> new SyncRun(deps, runId,
            new RunRequest(types, request.dryRun(), false, LivePoller.TRIGGER), lists).execute())
        .onSuccess(result -> {
          if (result.getString("runId") != null) {
            LOG.info("run {}: live: {}{}", runId, result.getString("runResult"), RunResult.countsSentence(carried(result)));
          }
          vertx.eventBus().publish(Addresses.SYNC_LIVE_POLLED, result);
        });
  }

  /** A poll's {@code carried} counts per type. */
  private static Map<MediaType, TypeCounts> carried(JsonObject poll) {
    Map<MediaType, TypeCounts> counts = new EnumMap<>(MediaType.class);
    JsonObject carried = poll.getJsonObject("carried", new JsonObject());
    carried.fieldNames().forEach(name -> counts.put(MediaType.valueOf(name), TypeCounts.fromJson(carried.getJsonObject(name))));
    return counts;
  }

  private JsonObject liveStatus() {
    Duration every = liveInterval();
    return live == null ? new JsonObject() : live.status().put("on", every != null && scheduled)
        .put("everySeconds", every == null ? 0 : every.toSeconds());
  }
}
