package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.bus.FetchedLists;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.config.AppConfig;
import io.github.anilistmalsync.metrics.ServiceMetrics;
import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.model.ScoreFormat;
import io.github.anilistmalsync.store.Backups;
import io.github.anilistmalsync.store.PairStore;
import io.github.anilistmalsync.store.StateStore;
import io.github.anilistmalsync.sync.core.Guard;
import io.github.anilistmalsync.sync.core.Plan;
import io.github.anilistmalsync.sync.core.PlanInput;
import io.github.anilistmalsync.sync.core.Refusal;
import io.github.anilistmalsync.sync.core.Side;
import io.github.anilistmalsync.sync.core.SyncOptions;
import io.github.anilistmalsync.sync.core.SyncPlanner;
import io.github.anilistmalsync.sync.core.UndoPlanner;
import io.github.anilistmalsync.sync.core.Unit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync run, type after type: fetch both lists at once → map ids → plan (the pure core) → guard → back up →
 * apply (both services at once, each at its own pace) → record. Publishes progress as it goes; never lets a
 * partial list reach the planner. The steps with a job of their own are {@link AbsenceCheck} (fetch: what AniList's
 * collection left out), {@link IdMapper} (map) and {@link WriteApplier} (apply and record, each pair's new baseline in
 * the same transaction as its last write); what the run did adds up in its {@link RunTally}.
 */
final class SyncRun {
  private static final Logger LOG = LoggerFactory.getLogger(SyncRun.class);

  /** What the run needs from the world, so tests can build one. */
  record Deps(Vertx vertx, Supplier<AppConfig> config, StateStore store, Backups backups, ServiceGateway gateway,
              Supplier<Instant> clock, BooleanSupplier stopping) {}

  private final Deps deps;
  /** The config in force when the run was made: a reload while it runs applies from the next run on. */
  private final AppConfig config;
  private final String runId;
  private final RunRequest request;
  private final ProgressPublisher progress;
  private final RunTally tally;
  private final IdMapper mapper;
  private final WriteApplier applier;
  private PreviewGate gate = PreviewGate.none();
  /** A live poll's lists (the changed entries and their partners) instead of whole fetched lists; null for a full sync. */
  private final LivePoller.Lists live;

  SyncRun(Deps deps, String runId, RunRequest request) {
    this(deps, runId, request, null);
  }

  /** A live run: plans the poll's lists with both sides partial (no deletion inferred); no backup, no page records. */
  SyncRun(Deps deps, String runId, RunRequest request, LivePoller.Lists live) {
    this.deps = deps;
    this.config = deps.config().get();
    this.runId = runId;
    this.request = request;
    this.progress = new ProgressPublisher(deps.vertx(), runId);
    this.tally = new RunTally(runId);
    this.mapper = new IdMapper(deps.store().pairs(), deps.gateway(), progress, deps.clock());
    this.applier = new WriteApplier(deps, runId, tally, progress);
    this.live = live;
  }

  /** Runs every requested type and answers how it ended. Never fails: failures are in the result. */
  Future<RunResult> execute() {
    Instant started = deps.clock().get();
    // Types run side by side: each service paces its own requests, so two types keep both queues busy.
    Future<Void> chain = deps.store().journal().startRun(runId, request.toJson(), config.mode(), started)
        .compose(v -> openGate())
        .compose(v -> Future.all(request.types().stream().map(type -> syncType(type).onSuccess(x -> tally.finish(type))).toList())
            .mapEmpty());
    return chain
        .recover(e -> {
          tally.fail(ServiceException.from(e), "the run");
          return Future.succeededFuture();
        })
        .compose(v -> {
          RunResult result = tally.result(request, config.mode(), started, deps.clock().get());
          ServiceMetrics.runFinished(result.outcome().word(), Duration.between(started, deps.clock().get()));
          return deps.store().journal().finishRun(runId, result.toJson()).map(result).recover(e -> {
            LOG.error("run {}: could not record the end of the run: {}", runId, e.getMessage());
            return Future.succeededFuture(result);
          });
        });
  }

  /** For an apply of a preview, the gate that holds the writes until every type's plan is known to match it. */
  private Future<Void> openGate() {
    if (request.applyOf() == null) return Future.succeededFuture();
    return deps.store().journal().run(request.applyOf()).map(preview -> {
      gate = PreviewGate.of(preview == null ? null : preview.plans(), request.types());
      return null;
    });
  }

  private Future<Void> syncType(MediaType type) {
    progress.phase("fetch", type, 0, 2, null);
    Future<FetchedLists.AniListList> aniList = live != null ? Future.succeededFuture(live.aniList().get(type)) : deps.gateway().fetchAniList(type);
    Future<FetchedLists.MalList> malList = live != null ? Future.succeededFuture(live.mal().get(type)) : deps.gateway().fetchMal(type);
    return Future.all(aniList, malList)
        .compose(both -> {
          progress.phase("fetch", type, 2, 2, null);
          return Future.succeededFuture();
        })
        .compose(v -> {
          List<MalEntry> mal = malList.result().entries();
          if (request.undoOf() != null) {
            reportUnreadable(type, aniList.result().skipped(), malList.result().skipped());
            return undo(type, aniList.result(), mal);
          }
          noteCap(type, aniList.result());
          return deps.store().pairs().syncState(type).compose(state -> AbsenceCheck.confirm(deps.vertx(), type, aniList.result(),
                  state.baselines().stream().map(b -> b.key().aniListId()))
              .compose(confirmed -> mapper.map(type, confirmed.entries(), mal).compose(mapping ->
                  AbsenceCheck.confirm(deps.vertx(), type, confirmed, Stream.concat(mapping.pinned().values().stream(),
                      mapping.lookedUp().values().stream()))
                      .compose(checked -> {
                        reportUnreadable(type, checked.skipped(), malList.result().skipped());
                        return planAndApply(type, state, checked, malList.result(), mapping);
                      }))));
        })
        .recover(e -> {
          ServiceException failure = ServiceException.from(e);
          gate.failed(type);
          tally.counts(type, TypeCounts::withError);
          tally.fail(failure, type.word());
          return Future.succeededFuture();
        });
  }

  /**
   * Entries a client could not read (an unknown status word, a date that does not parse) are left out of the lists
   * and named in the run's errors; the rest syncs. A pair with such an entry on one side is not in the plan at all,
   * and the planner takes nothing missing from that side's list for deleted (its baseline stays for the next run).
   */
  private static Set<Side> partial(FetchedLists.AniListList aniList, List<String> malSkipped) {
    Set<Side> partial = EnumSet.noneOf(Side.class);
    if (!aniList.skipped().isEmpty()) partial.add(Side.ANILIST);
    if (!malSkipped.isEmpty()) partial.add(Side.MAL);
    return partial;
  }

  private void reportUnreadable(MediaType type, List<String> fromAniList, List<String> fromMal) {
    fromAniList.forEach(s -> tally.error(type.word() + " on AniList, not synced: " + s));
    fromMal.forEach(s -> tally.error(type.word() + " on MyAnimeList, not synced: " + s));
    tally.update(type, r -> r.withUnreadable(fromAniList.size() + fromMal.size()));
  }

  /** Says so in the run's result when AniList's collection came back at its cap (the checks cover what it left out). */
  private void noteCap(MediaType type, FetchedLists.AniListList fetched) {
    if (fetched.entries().size() >= AniListEntry.COLLECTION_CAP) {
      tally.error(type.word() + ": AniList returned its maximum of " + String.format(Locale.ROOT, "%,d", fetched.entries().size())
          + " entries; older entries were checked one by one");
    }
  }

  /** {@code state} is the type's baselines and notes, read once for the run (the absence checks used them too). */
  private Future<Void> planAndApply(MediaType type, PairStore.SyncState state, FetchedLists.AniListList aniList,
                                          FetchedLists.MalList malList, PairStore.Mappings mapping) {
    List<MalEntry> mal = malList.entries();
    Instant now = deps.clock().get();
    progress.phase("plan", type, 0, 1, null);
    PlanInput input = new PlanInput(type, state.baselines(), state.tombstones(), aniList.entries(), mal, mapping.lookedUp(),
        // settling is the full sync's (it records what it settled); a poll leaves the request for it
        mapping.pinned(), mapping.ignored(), refusals(type, state.refusals()), live != null ? Map.of() : state.settle(),
        live != null ? EnumSet.allOf(Side.class) : partial(aniList, malList.skipped()),
        options(config, aniList.scoreFormat()), now);
    Plan plan = SyncPlanner.plan(input);
    tally.update(type, r -> r.withCounts(r.counts().planned(plan)).withScoreFormat(aniList.scoreFormat()));
    progress.phase("plan", type, 1, 1, null);
    return gate.check(type, plan).compose(go -> go
        ? guardAndApply(type, aniList, mal, plan, input)
        : showInstead(type, plan))
        // the Library's rows as this run leaves them; a failure to record them costs the page, never the run
        .compose(done -> deps.store().library().record(runId, input, plan).map(done).recover(e -> {
          LOG.warn("run {}: could not record the {} library: {}", runId, type.word(), e.getMessage());
          return Future.succeededFuture(done);
        }));
  }

  /** The refusals with each refused value in today's words (older stores kept the request fields). */
  private static List<Refusal> refusals(MediaType type, List<Refusal> stored) {
    return stored.stream().map(r -> new Refusal(r.key(), r.side(), r.unit(),
        CoreJson.wire(r.side()).refusedValue(type, r.unit(), r.value()), r.reason(), r.at())).toList();
  }

  /** An apply of a preview whose plan went stale: nothing is sent, and this run holds the new plan to approve. */
  private Future<Void> showInstead(MediaType type, Plan plan) {
    tally.worst(RunOutcome.PLAN_CHANGED);
    tally.error(type.word() + ": the lists changed since preview " + request.applyOf()
        + " (or a type could not be read): nothing was written; this run holds the new plan");
    tally.counts(type, c -> c.writing(plan));
    return recordUnsent(type, plan, "not sent: the lists changed since preview " + request.applyOf());
  }

  private Future<Void> guardAndApply(MediaType type, FetchedLists.AniListList aniList, List<MalEntry> mal,
                                           Plan plan, PlanInput input) {
    Instant now = deps.clock().get();
    List<String> violations = Guard.violations(live != null ? LivePoller.guardView(plan, input) : plan, input);
    boolean refused = !violations.isEmpty() && !request.force();
    if (refused) {
      tally.worst(RunOutcome.REFUSED);
      violations.forEach(v -> tally.error(type.word() + ": " + v));
      LOG.warn("run {}: {} sync refused by the mass-change guard: {} (use --force, or preview and apply on the dashboard, to apply it once)",
          runId, type.word(), String.join("; ", violations));
      progress.phase("guard", type, 0, 1, "refused");
      return recordUnsent(type, plan, "refused by the mass-change guard");
    }
    if (request.dryRun()) {
      tally.counts(type, c -> c.writing(plan));
      return recordUnsent(type, plan, "dry run");
    }
    // a live run saw a few pairs only: the unmapped and held-apart pages, and the backups, stay the full sync's
    Future<Void> pages = live != null ? Future.succeededFuture()
        : deps.store().pairs().recordUnmapped(plan, now).compose(v -> deps.store().pairs().recordHeldApart(plan, now));
    return pages
        .compose(v -> deps.store().journal().recordPlan(runId, plan, now)).compose(firstSeq -> {
      Future<Void> backup = plan.writes() && live == null
          ? backup(type, aniList.entries(), mal, now)
          : Future.succeededFuture();
      return backup
          .compose(v -> deps.store().pairs().recordQuietPairs(plan))
          .compose(v -> applier.apply(type, plan, firstSeq, aniList.entries(), mal, null));
    });
  }

  /** Records a plan that will not be sent, for people to read (History, Preview), every write marked with why. */
  private Future<Void> recordUnsent(MediaType type, Plan plan, String why) {
    Instant now = deps.clock().get();
    tally.update(type, r -> r.withPlan(plan));
    return (live != null ? Future.<Void>succeededFuture() : deps.store().pairs().recordUnmapped(plan, now))
        .compose(v -> deps.store().journal().recordPlan(runId, plan, now))
        .compose(seq -> deps.store().journal().markAllSkipped(runId, seq, plan.operations().size(), why, now));
  }

  /**
   * Reverts what run {@code undoOf} wrote to this type, where the entries still hold what it left; then the pairs'
   * baselines are the restored state (from the write answers), so the next sync pushes nothing back out.
   */
  private Future<Void> undo(MediaType type, FetchedLists.AniListList aniList, List<MalEntry> mal) {
    Instant now = deps.clock().get();
    return deps.store().journal().appliedOperations(request.undoOf(), type).compose(applied -> {
      Plan plan = UndoPlanner.plan(type, applied, aniList.entries(), mal, now);
      plan.skipped().forEach(tally::error);
      tally.update(type, r -> r.withSkipped(plan.skipped().size()));
      return deps.store().journal().recordPlan(runId, plan, now).compose(firstSeq -> (plan.writes()
              ? backup(type, aniList.entries(), mal, now)
              : Future.<Void>succeededFuture())
          .compose(v -> deps.store().pairs().recordQuietPairs(plan))
          .compose(v -> applier.apply(type, plan, firstSeq, aniList.entries(), mal,
              "undone by run " + runId + " on " + now.toString().substring(0, 10) + " (run " + request.undoOf() + " is reverted)")));
    });
  }

  private Future<Void> backup(MediaType type, List<AniListEntry> aniList, List<MalEntry> mal, Instant now) {
    progress.phase("backup", type, 0, 1, null);
    return deps.backups().write(runId, type, aniList, mal, now).mapEmpty();
  }

  /** The planner's options from the config in force and the user's AniList score format. */
  static SyncOptions options(AppConfig config, String scoreFormat) {
    Set<Unit> units = EnumSet.noneOf(Unit.class);
    for (Unit u : Unit.values()) {
      if (config.fieldEnabled(u.configName())) units.add(u);
    }
    return new SyncOptions(SyncOptions.Mode.parse(config.mode()), units,
        SyncOptions.DeletionPolicy.valueOf(config.string("sync.deletions").toUpperCase(Locale.ROOT)),
        config.bool("sync.include_private"), config.bool("sync.never_lower_progress"),
        scoreFormat == null ? ScoreFormat.POINT_10 : ScoreFormat.valueOf(scoreFormat));
  }
}
