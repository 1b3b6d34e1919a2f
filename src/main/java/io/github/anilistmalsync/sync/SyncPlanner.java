package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListMedia;
import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pure heart of the sync: two complete lists and the last synced state in, a plan out. No I/O, no clock.
 *
 * <p>Per pair and per unit: equal after conversion → nothing. Otherwise, against the pair's baseline, a unit
 * changed on one side only is copied to the other; changed on both, the later edit wins (AniList on an exact tie)
 * and a conflict is recorded; changed on neither (the services disagreed already at the last sync, e.g. MAL capped
 * a value) → nothing, so no write ever bounces back. Without a baseline the later-updated side wins each unit,
 * but an empty value never overwrites a filled one. One-way modes make the source win every unit.
 */
public final class SyncPlanner {
  private SyncPlanner() {}

  public static Plan plan(PlanInput input) {
    return new Planning(input).run();
  }

  /** The state of one planning pass. */
  private static final class Planning {
    private final PlanInput in;
    private final SyncOptions options;
    private final MediaType type;
    private final Instant now;
    private final Map<AniListMediaId, Baseline> baseByAni = new HashMap<>();
    private final Map<MalId, Baseline> baseByMal = new HashMap<>();
    private final Set<Baseline> consumed = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<MalId, Tombstone> tombstones = new HashMap<>();
    private final Map<AniListMediaId, MalId> pinByAni = new HashMap<>();

    private final List<Operation> operations = new ArrayList<>();
    private final List<Conflict> conflicts = new ArrayList<>();
    private final List<Unmapped> unmapped = new ArrayList<>();
    private final List<Baseline> baselinesToRecord = new ArrayList<>();
    private final List<PairKey> baselinesToDrop = new ArrayList<>();
    private final List<Tombstone> tombstonesToAdd = new ArrayList<>();
    private final List<PairKey> tombstonesToClear = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    private int paired;
    private int unchanged;
    private int baselinedPairs;
    private int overwrittenPairs;

    Planning(PlanInput in) {
      this.in = in;
      this.options = in.options();
      this.type = in.type();
      this.now = in.now();
      for (Baseline b : in.baselines()) {
        if (b.key().type() != type) continue;
        baseByAni.put(b.key().aniListId(), b);
        baseByMal.put(b.key().malId(), b);
      }
      for (Tombstone t : in.tombstones()) {
        if (t.key().type() == type) tombstones.put(t.key().malId(), t);
      }
      in.pinned().forEach((mal, ani) -> pinByAni.put(ani, mal));
    }

    Plan run() {
      Map<MalId, AniListEntry> aniByMal = new TreeMap<>();
      for (AniListEntry e : in.anilist()) {
        if (e.type() != type) continue;
        MalId malId = pinByAni.getOrDefault(e.media().id(), e.media().idMal());
        if (malId == null) {
          consume(baseByAni.get(e.media().id()));
          unmapped.add(new Unmapped(Side.ANILIST, e.media().id().value(), e.media().displayTitle(), "AniList knows no MAL id for it"));
        } else if (in.ignored().contains(malId)) {
          consume(baseByAni.get(e.media().id()));
        } else if (aniByMal.putIfAbsent(malId, e) != null) {
          unmapped.add(new Unmapped(Side.ANILIST, e.media().id().value(), e.media().displayTitle(),
              "another AniList entry has the same MAL id " + malId.value()));
        }
      }
      Map<MalId, MalEntry> malById = new TreeMap<>();
      for (MalEntry e : in.mal()) {
        if (e.type() != type) continue;
        if (in.ignored().contains(e.id())) {
          consume(baseByMal.get(e.id()));
        } else {
          malById.put(e.id(), e);
        }
      }
      // Pairs first, then one-sided entries: a re-keyed pair must claim its baseline (by AniList id) before a
      // MAL-only entry could mistake that baseline for a deletion.
      aniByMal.forEach((malId, ani) -> {
        MalEntry mal = malById.get(malId);
        if (mal != null) pair(new PairKey(type, malId, ani.media().id()), ani, mal);
      });
      aniByMal.forEach((malId, ani) -> {
        if (!malById.containsKey(malId)) aniListOnly(new PairKey(type, malId, ani.media().id()), ani);
      });
      malById.forEach((malId, mal) -> {
        if (!aniByMal.containsKey(malId)) malOnly(mal);
      });
      for (Baseline b : in.baselines()) {
        if (b.key().type() == type && !consumed.contains(b)) baselinesToDrop.add(b.key());
      }
      return new Plan(type, operations, conflicts, unmapped, baselinesToRecord, baselinesToDrop, tombstonesToAdd,
          tombstonesToClear, skipped, paired, unchanged, baselinedPairs, overwrittenPairs, in.anilist().size(), in.mal().size());
    }

    private void consume(Baseline b) {
      if (b != null) consumed.add(b);
    }

    /** The pair's baseline: found by AniList id first (it survives a MAL id change), then by MAL id. */
    private Baseline baselineFor(PairKey key) {
      Baseline b = baseByAni.get(key.aniListId());
      if (b == null || consumed.contains(b)) b = baseByMal.get(key.malId());
      if (b == null || consumed.contains(b)) return null;
      consumed.add(b);
      return b;
    }

    private void pair(PairKey key, AniListEntry ani, MalEntry mal) {
      paired++;
      Baseline base = baselineFor(key);
      if (tombstones.containsKey(key.malId())) {
        tombstonesToClear.add(key);
      }
      if (base != null) baselinedPairs++;
      boolean rekeyed = base != null && !base.key().equals(key);
      NeutralState aniS = Convert.fromAniList(ani);
      NeutralState malS = Convert.fromMal(mal);
      Convert.Caps caps = new Convert.Caps(
          mal.progressTotal() != null ? mal.progressTotal() : ani.media().progressTotal(),
          mal.volumesTotal() != null ? mal.volumesTotal() : ani.media().volumes());
      String title = ani.media().displayTitle();
      Map<String, Operation.Change> toMal = new LinkedHashMap<>();
      Map<String, Operation.Change> toAni = new LinkedHashMap<>();
      List<String> reasons = new ArrayList<>();
      for (Unit unit : Unit.values()) {
        if (!options.units().contains(unit) || Convert.unknownOnMal(unit, mal) || Convert.same(unit, aniS, malS, caps, options.scoreFormat())) continue;
        Side winner = decide(unit, key, title, base, aniS, malS, ani.updatedAt(), mal);
        if (winner == null) continue;
        if (winner == Side.ANILIST) {
          diff(currentMalFields(mal, unit, malS), Convert.malFields(type, unit, aniS), toMal);
          bindStatusAndRewatchFlag(toMal, currentMalFields(mal, unit, malS), Convert.malFields(type, unit, aniS));
        } else {
          diff(Convert.aniListFields(type, unit, aniS), Convert.aniListFields(type, unit, malS), toAni);
        }
        reasons.add(unit.configName() + " from " + winner.label());
      }
      holdBackLowerProgress(toMal, title, Side.MAL);
      holdBackLowerProgress(toAni, title, Side.ANILIST);
      String reason = String.join(", ", reasons);
      if (!toMal.isEmpty()) {
        operations.add(new Operation(key, Side.MAL, Operation.Kind.UPDATE, title, null, toMal, reason, aniS));
      }
      if (!toAni.isEmpty()) {
        operations.add(new Operation(key, Side.ANILIST, Operation.Kind.UPDATE, title, ani.id(), toAni, reason, malS));
      }
      if (toMal.isEmpty() && toAni.isEmpty()) {
        unchanged++;
        if (base == null || rekeyed || !base.anilist().equals(aniS) || !base.mal().equals(malS)) {
          baselinesToRecord.add(new Baseline(key, aniS, malS, now));
        }
      } else if (base != null) {
        overwrittenPairs++;
      }
    }

    /**
     * MAL's fields as the entry really holds them. The neutral form reads any entry with the rewatch flag as
     * REPEATING, which MAL writes as "completed": the real status word must be compared, or a rewatching entry
     * that is "watching" on MAL would never get its status written.
     */
    private Map<String, Object> currentMalFields(MalEntry mal, Unit unit, NeutralState malS) {
      Map<String, Object> f = Convert.malFields(type, unit, malS);
      if (f.containsKey("status")) f.put("status", mal.status().apiWord(type));
      return f;
    }

    /** MAL's status and rewatch flag go together: a write of one sends the other, so the pair is never half-changed. */
    private static void bindStatusAndRewatchFlag(Map<String, Operation.Change> changes, Map<String, Object> before, Map<String, Object> after) {
      boolean touched = changes.keySet().stream().anyMatch(k -> k.equals("status") || k.startsWith("is_re"));
      if (!touched) return;
      for (String field : after.keySet()) {
        if (field.equals("status") || field.startsWith("is_re")) {
          changes.putIfAbsent(field, new Operation.Change(before.get(field), after.get(field)));
        }
      }
    }

    /** Which side's value of {@code unit} wins, or null when nothing should be written. */
    private Side decide(Unit unit, PairKey key, String title, Baseline base, NeutralState aniS, NeutralState malS,
                        long aniUpdated, MalEntry mal) {
      Side source = options.mode().source();
      if (source != null) return source;
      Side later = aniUpdated >= malUpdated(mal) ? Side.ANILIST : Side.MAL;
      if (base == null) {
        NeutralState laterState = later == Side.ANILIST ? aniS : malS;
        NeutralState otherState = later == Side.ANILIST ? malS : aniS;
        if (Convert.isEmpty(unit, laterState) && !Convert.isEmpty(unit, otherState)) return later.other();
        return later;
      }
      boolean aniChanged = !Convert.sameOnOneSide(unit, base.anilist(), aniS);
      boolean malChanged = !Convert.sameOnOneSide(unit, base.mal(), malS);
      if (aniChanged && !malChanged) return Side.ANILIST;
      if (malChanged && !aniChanged) return Side.MAL;
      if (!aniChanged) return null;
      boolean tie = aniUpdated == malUpdated(mal);
      conflicts.add(new Conflict(key, title, unit.configName(), describe(unit, aniS), describe(unit, malS), later,
          tie ? "both changed since the last sync at the same second; AniList wins ties" : "both changed since the last sync; the later edit wins"));
      return later;
    }

    private static long malUpdated(MalEntry mal) {
      return mal.updatedAt() == null ? 0 : mal.updatedAt().getEpochSecond();
    }

    private void holdBackLowerProgress(Map<String, Operation.Change> changes, String title, Side target) {
      if (!options.neverLowerProgress()) return;
      for (String field : List.of("progress", "num_watched_episodes", "num_chapters_read")) {
        Operation.Change c = changes.get(field);
        if (c != null && c.before() instanceof Number before && c.after() instanceof Number after && after.intValue() < before.intValue()) {
          changes.remove(field);
          skipped.add(title + ": not lowering progress on " + target.label() + " from " + before + " to " + after + " (sync.never_lower_progress)");
        }
      }
    }

    private void aniListOnly(PairKey key, AniListEntry ani) {
      Baseline base = baselineFor(key);
      NeutralState aniS = Convert.fromAniList(ani);
      String title = ani.media().displayTitle();
      if (base != null) {
        deletedOn(Side.MAL, base, key, title, aniS, ani.id());
        return;
      }
      Tombstone tomb = tombstones.get(key.malId());
      if (tomb != null && tomb.deletedOn() == Side.MAL) {
        skipped.add(title + ": removed from MyAnimeList earlier; not re-created there (sync.deletions: keep)");
        return;
      }
      if (tomb != null) tombstonesToClear.add(key);
      if (options.mode().source() == Side.MAL) return;
      if ((ani.isPrivate() || ani.hiddenFromStatusLists()) && !options.includePrivate()) {
        skipped.add(title + ": private on AniList; not created on MyAnimeList, whose lists are public (sync.include_private)");
        return;
      }
      operations.add(new Operation(key, Side.MAL, Operation.Kind.CREATE, title, null,
          creation(Side.MAL, aniS), "only on AniList", aniS));
    }

    private void malOnly(MalEntry mal) {
      MalId malId = mal.id();
      AniListMediaId aniId = in.pinned().get(malId);
      if (aniId == null) {
        AniListMedia found = in.lookedUp().get(malId);
        if (found != null) aniId = found.id();
      }
      Baseline base = baseByMal.get(malId);
      if (base != null && consumed.contains(base)) base = null;
      if (base != null) consumed.add(base);
      NeutralState malS = Convert.fromMal(mal);
      if (base != null) {
        deletedOn(Side.ANILIST, base, base.key(), mal.displayTitle(), malS, null);
        return;
      }
      if (aniId == null) {
        unmapped.add(new Unmapped(Side.MAL, malId.value(), mal.displayTitle(), "no AniList media has this MAL id"));
        return;
      }
      PairKey key = new PairKey(type, malId, aniId);
      Tombstone tomb = tombstones.get(malId);
      if (tomb != null && tomb.deletedOn() == Side.ANILIST) {
        skipped.add(mal.displayTitle() + ": removed from AniList earlier; not re-created there (sync.deletions: keep)");
        return;
      }
      if (tomb != null) tombstonesToClear.add(key);
      if (options.mode().source() == Side.ANILIST) return;
      operations.add(new Operation(key, Side.ANILIST, Operation.Kind.CREATE, mal.displayTitle(), null,
          creation(Side.ANILIST, malS), "only on MyAnimeList", malS));
    }

    /**
     * The pair existed at the last sync and {@code deletedSide} no longer has it. "keep" leaves a tombstone;
     * "propagate" deletes it on the other side too, unless that side was edited since (the edit wins and the
     * entry is put back). A one-way sync never writes to its source.
     */
    private void deletedOn(Side deletedSide, Baseline base, PairKey key, String title, NeutralState present, Long aniEntryId) {
      Side presentSide = deletedSide.other();
      Side source = options.mode().source();
      boolean mayDelete = options.deletions() == SyncOptions.DeletionPolicy.PROPAGATE && (source == null || source == deletedSide);
      if (!mayDelete) {
        tombstonesToAdd.add(new Tombstone(key, deletedSide, now));
        baselinesToDrop.add(base.key());
        return;
      }
      NeutralState before = presentSide == Side.ANILIST ? base.anilist() : base.mal();
      boolean edited = options.units().stream().anyMatch(u -> !Convert.sameOnOneSide(u, before, present));
      if (edited) {
        conflicts.add(new Conflict(key, title, "entry", presentSide == Side.ANILIST ? "edited" : "deleted",
            presentSide == Side.MAL ? "edited" : "deleted", presentSide,
            "deleted on " + deletedSide.label() + " but edited on " + presentSide.label() + " since the last sync; the edit wins"));
        operations.add(new Operation(key, deletedSide, Operation.Kind.CREATE, title, null, creation(deletedSide, present),
            "edited on " + presentSide.label() + " after it was deleted on " + deletedSide.label(), present));
        return;
      }
      Map<String, Operation.Change> gone = new LinkedHashMap<>();
      gone.put("entry", new Operation.Change("present", "deleted"));
      operations.add(new Operation(key, presentSide, Operation.Kind.DELETE, title, aniEntryId, gone,
          "deleted on " + deletedSide.label() + " (sync.deletions: propagate)", present));
    }

    /** Every field of every enabled unit for a new entry; empty values are left to the service's defaults. */
    private Map<String, Operation.Change> creation(Side target, NeutralState from) {
      Map<String, Operation.Change> fields = new LinkedHashMap<>();
      for (Unit unit : Unit.values()) {
        if (unit != Unit.WATCH && (!options.units().contains(unit) || Convert.isEmpty(unit, from))) continue;
        Map<String, Object> values = target == Side.MAL ? Convert.malFields(type, unit, from) : Convert.aniListFields(type, unit, from);
        values.forEach((field, value) -> fields.put(field, new Operation.Change(null, value)));
      }
      return fields;
    }

    private static void diff(Map<String, Object> before, Map<String, Object> after, Map<String, Operation.Change> into) {
      after.forEach((field, value) -> {
        Object old = before.get(field);
        if (!java.util.Objects.equals(old, value)) into.put(field, new Operation.Change(old, value));
      });
    }

    private static String describe(Unit unit, NeutralState s) {
      return switch (unit) {
        case WATCH -> s.status() + " " + s.progress();
        case SCORE -> String.valueOf(s.score100());
        case VOLUMES -> String.valueOf(s.volumes());
        case REPEAT -> String.valueOf(s.repeat());
        case START -> s.started().toString();
        case FINISH -> s.finished().toString();
        case NOTES -> s.notes();
      };
    }
  }

}
