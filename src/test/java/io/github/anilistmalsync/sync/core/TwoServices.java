package io.github.anilistmalsync.sync.core;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListMedia;
import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.FuzzyDate;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MalStatus;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.model.ScoreFormat;
import io.github.anilistmalsync.sync.CoreJson;
import io.github.anilistmalsync.sync.Entries;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Both services in memory, storing writes the way the real ones do (MAL caps progress at the total and repeats at
 * 255; AniList keeps a scoreRaw as sent), plus the sync's own records, applied the way the coordinator
 * applies a plan. Lets the planner's tests run whole syncs without I/O.
 */
final class TwoServices {
  final MediaType type = MediaType.ANIME;
  final Map<MalId, AniListEntry> aniList = new LinkedHashMap<>();
  final Map<MalId, MalEntry> mal = new LinkedHashMap<>();
  final Map<MalId, AniListMedia> catalogue = new HashMap<>();
  final Map<MalId, AniListMediaId> pinned = new HashMap<>();
  final List<Refusal> refusals = new ArrayList<>();
  final Map<MalId, Side> settle = new HashMap<>();
  final Set<Side> partial = EnumSet.noneOf(Side.class);
  final Map<MalId, Baseline> baselines = new HashMap<>();
  final Map<MalId, Tombstone> tombstones = new HashMap<>();
  SyncOptions options = SyncOptions.defaults();
  long clock = 1_700_000_000L;
  private long nextEntryId = 90_000;

  Plan plan() {
    return SyncPlanner.plan(input());
  }

  PlanInput input() {
    return new PlanInput(type, new ArrayList<>(baselines.values()), new ArrayList<>(tombstones.values()),
        new ArrayList<>(aniList.values()), new ArrayList<>(mal.values()), lookedUp(), pinned, Set.of(), refusals, settle,
        partial, options, Instant.ofEpochSecond(clock));
  }

  /** What the map phase would find: every catalogued media's id by its MAL id. */
  private Map<MalId, AniListMediaId> lookedUp() {
    Map<MalId, AniListMediaId> ids = new HashMap<>();
    catalogue.forEach((malId, media) -> ids.put(malId, media.id()));
    return ids;
  }

  /** Plans and applies one sync; returns the plan. */
  Plan sync() {
    Plan plan = plan();
    apply(plan);
    return plan;
  }

  void apply(Plan plan) {
    clock += 60;
    Instant now = Instant.ofEpochSecond(clock);
    plan.baselinesToDrop().forEach(k -> baselines.remove(k.malId()));
    plan.baselinesToRecord().forEach(b -> baselines.put(b.key().malId(), b));
    plan.tombstonesToClear().forEach(k -> tombstones.remove(k.malId()));
    plan.tombstonesToAdd().forEach(t -> tombstones.put(t.key().malId(), t));
    Map<MalId, List<Operation>> byPair = new LinkedHashMap<>();
    plan.operations().forEach(op -> byPair.computeIfAbsent(op.key().malId(), k -> new ArrayList<>()).add(op));
    byPair.forEach((malId, ops) -> {
      boolean deleted = false;
      for (Operation op : ops) {
        if (op.kind() == Operation.Kind.DELETE) {
          deleted = true;
          if (op.target() == Side.ANILIST) aniList.remove(malId);
          else mal.remove(malId);
        } else if (op.target() == Side.MAL) {
          mal.put(malId, writeMal(mal.get(malId), op, now));
        } else {
          aniList.put(malId, writeAniList(aniList.get(malId), op, now));
        }
      }
      if (deleted) {
        baselines.remove(malId);
      } else {
        AniListEntry a = aniList.get(malId);
        MalEntry m = mal.get(malId);
        baselines.put(malId, new Baseline(new PairKey(type, malId, a.media().id()), Convert.fromAniList(a), Convert.fromMal(m), now));
      }
    });
  }

  private MalEntry writeMal(MalEntry current, Operation op, Instant now) {
    MalId id = op.key().malId();
    AniListMedia media = catalogue.get(id);
    Integer total = current != null ? current.progressTotal() : media == null ? null : media.progressTotal();
    MalEntry e = current != null ? current : new MalEntry(id, type, media == null ? "?" : media.displayTitle(), "tv", total, null,
        false, MalStatus.PLANNED, 0, 0, 0, false, 0, FuzzyDate.EMPTY, FuzzyDate.EMPTY, "", List.of(), 0, now);
    JsonObject f = sent(op);
    MalStatus status = f.containsKey("status") ? MalStatus.parse(f.getString("status")) : e.status();
    boolean repeating = f.getBoolean("is_rewatching", e.repeating());
    int progress = f.getInteger("num_watched_episodes", e.progress());
    if (total != null && total > 0) progress = Math.min(progress, total);
    int repeat = Math.min(255, f.getInteger("num_times_rewatched", e.repeatCount()));
    FuzzyDate start = f.containsKey("start_date") ? FuzzyDate.parseMal(f.getString("start_date")) : e.startDate();
    FuzzyDate finish = f.containsKey("finish_date") ? FuzzyDate.parseMal(f.getString("finish_date")) : e.finishDate();
    return new MalEntry(id, type, e.title(), e.mediaType(), total, e.volumesTotal(), e.nsfw(), status,
        f.getInteger("score", e.score()), progress, e.volumesRead(), repeating, repeat, start, finish,
        f.getString("comments", e.comments()), e.tags(), e.priority(), now);
  }

  private AniListEntry writeAniList(AniListEntry current, Operation op, Instant now) {
    AniListMedia media = current != null ? current.media() : catalogue.get(op.key().malId());
    AniListEntry e = current != null ? current : new AniListEntry(nextEntryId++, media, AniListStatus.PLANNING, 0, null, 0, 0, 0,
        false, false, null, List.of(), FuzzyDate.EMPTY, FuzzyDate.EMPTY, now.getEpochSecond(), now.getEpochSecond());
    JsonObject f = sent(op);
    ScoreFormat format = options.scoreFormat();
    int score = f.containsKey("scoreRaw") ? f.getInteger("scoreRaw") : e.score100();
    return new AniListEntry(e.id(), media, f.containsKey("status") ? AniListStatus.valueOf(f.getString("status")) : e.status(),
        score, format.display(score), f.getInteger("progress", e.progress()), f.getInteger("progressVolumes", e.progressVolumes()),
        f.getInteger("repeat", e.repeat()), e.isPrivate(), e.hiddenFromStatusLists(), f.getString("notes", e.notes()), e.customLists(),
        f.containsKey("startedAt") ? FuzzyDate.fromJson(f.getJsonObject("startedAt")) : e.startedAt(),
        f.containsKey("completedAt") ? FuzzyDate.fromJson(f.getJsonObject("completedAt")) : e.completedAt(),
        now.getEpochSecond(), e.createdAt());
  }

  /** The request fields the coordinator sends for {@code op}. */
  static JsonObject sent(Operation op) {
    return CoreJson.wire(op.target()).fields(op);
  }

  void putAniList(AniListEntry e) {
    aniList.put(e.media().idMal(), e);
    catalogue.put(e.media().idMal(), e.media());
  }

  void putMal(MalEntry e) {
    mal.put(e.id(), e);
    catalogue.computeIfAbsent(e.id(), id -> Entries.media(type, id.value(), e.progressTotal()));
  }
}
