package io.github.anilistmalsync.sync.core;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pure heart of the sync: two complete lists and the last synced state in, a plan out. No I/O, no clock.
 *
 * <p>Per pair and per unit (each field its own): equal after conversion → nothing. Otherwise each side is compared
 * with its own baseline: a unit changed on one side only is copied to the other; changed on both, the later edit
 * wins (AniList on an exact tie) and a conflict is recorded; changed on neither → nothing is written (no write ever
 * bounces back) and the pair is held apart, with why, unless the user asked to settle it. Without a baseline the
 * later-updated side wins each unit, but an empty value never overwrites a filled one. One-way modes make the source
 * win every unit. A completed status merged with a lower progress from the other side completes the progress
 * (where the count is known) and is recorded as a conflict. Nothing of a private AniList entry's notes reaches MAL.
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
    private final List<HeldApart> heldApart = new ArrayList<>();
    private final UnitMerge merge;
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
      merge = new UnitMerge(in, conflicts, skipped);
    }

    Plan run() {
      Map<MalId, MalEntry> malById = new TreeMap<>();
      for (MalEntry e : in.mal()) {
        if (e.type() != type) continue;
        if (in.ignored().contains(e.id())) {
          consume(baseByMal.get(e.id()));
        } else {
          malById.put(e.id(), e);
        }
      }
      Map<MalId, List<AniListEntry>> claims = new TreeMap<>();
      for (AniListEntry e : in.anilist()) {
        if (e.type() != type) continue;
        MalId malId = pinByAni.getOrDefault(e.media().id(), e.media().idMal());
        if (malId == null) {
          consume(baseByAni.get(e.media().id()));
          unmapped.add(new Unmapped(Side.ANILIST, e.media().id().value(), e.media().displayTitle(), "AniList knows no MAL id for it"));
        } else if (in.ignored().contains(malId)) {
          consume(baseByAni.get(e.media().id()));
        } else {
          claims.computeIfAbsent(malId, k -> new ArrayList<>()).add(e);
        }
      }
      Map<MalId, AniListEntry> aniByMal = new TreeMap<>();
      claims.forEach((malId, claimants) -> {
        AniListEntry chosen = SharedMalIds.choose(malId, claimants, malById.get(malId), in.pinned().get(malId),
            baseByMal.get(malId));
        aniByMal.put(malId, chosen);
        for (AniListEntry other : claimants) {
          if (other == chosen) continue;
          consume(baseByAni.get(other.media().id()));
          unmapped.add(new Unmapped(Side.ANILIST, other.media().id().value(), other.media().displayTitle(),
              "shares MAL id " + malId.value() + " with " + chosen.media().displayTitle() + " (AniList " + chosen.media().id().value()
                  + "); pin it to pair it instead"));
        }
      });
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
      // a pair on neither list is gone from both; unless a list was read in part (entries it could not read, or a
      // live poll's few): then its baseline stays for the next whole read
      for (Baseline b : in.baselines()) {
        if (b.key().type() == type && !consumed.contains(b) && in.partial().isEmpty()) baselinesToDrop.add(b.key());
      }
      return new Plan(type, operations, conflicts, unmapped, baselinesToRecord, baselinesToDrop, tombstonesToAdd,
          tombstonesToClear, skipped, heldApart, paired, unchanged, baselinedPairs, overwrittenPairs, in.anilist().size(), in.mal().size());
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
      Convert.Caps caps = Convert.Caps.of(mal);
      String title = ani.media().displayTitle();
      boolean privateOnAniList = (ani.isPrivate() || ani.hiddenFromStatusLists()) && !options.includePrivate();

      Map<Unit, Side> winners = new EnumMap<>(Unit.class);
      Map<Unit, String> held = new EnumMap<>(Unit.class);
      for (Unit unit : Unit.values()) {
        if (!options.units().contains(unit) || Convert.unknownOnMal(unit, mal) || Convert.same(unit, aniS, malS, caps)) continue;
        Side winner = merge.decide(unit, key, title, base, aniS, malS, ani.updatedAt(), mal);
        if (winner != Side.MAL && unit == Unit.NOTES && privateOnAniList) {
          held.put(unit, "private on AniList: its notes are not copied to MyAnimeList (sync.include_private)");
        } else if (winner == null) {
          held.put(unit, merge.heldReason(key, unit, base));
        } else {
          winners.put(unit, winner);
        }
      }
      Integer completedProgress = merge.completionRule(key, title, winners, aniS, malS, mal, ani);

      Map<Unit, Change<?>> toMal = new EnumMap<>(Unit.class);
      Map<Unit, Change<?>> toAni = new EnumMap<>(Unit.class);
      List<String> reasons = new ArrayList<>();
      winners.forEach((unit, winner) -> {
        NeutralState source = winner == Side.ANILIST ? aniS : malS;
        if (unit == Unit.PROGRESS && completedProgress != null) {
          NeutralState complete = UnitMerge.withProgress(source, completedProgress);
          merge.diff(Side.MAL, unit, merge.currentOnMal(mal, unit, malS), complete, toMal);
          merge.diff(Side.ANILIST, unit, Convert.valueOn(Side.ANILIST, type, unit, aniS), complete, toAni);
        } else if (winner == Side.ANILIST) {
          merge.diff(Side.MAL, unit, merge.currentOnMal(mal, unit, malS), source, toMal);
        } else {
          merge.diff(Side.ANILIST, unit, Convert.valueOn(Side.ANILIST, type, unit, aniS), source, toAni);
        }
        reasons.add(unit.configName() + " from " + winner.label());
      });
      merge.holdBackLowerProgress(toMal, title, Side.MAL);
      merge.holdBackLowerProgress(toAni, title, Side.ANILIST);
      merge.holdBackRefused(key, Side.MAL, toMal, held);
      merge.holdBackRefused(key, Side.ANILIST, toAni, held);
      boolean entryRefusedOnMal = refusedEntry(key, Side.MAL, title, toMal);
      boolean entryRefusedOnAni = refusedEntry(key, Side.ANILIST, title, toAni);
      String reason = String.join(", ", reasons);
      if (!toMal.isEmpty()) {
        operations.add(new Operation(key, Side.MAL, Operation.Kind.UPDATE, title, null, toMal, reason, aniS, editedAt(ani)));
      }
      if (!toAni.isEmpty()) {
        operations.add(new Operation(key, Side.ANILIST, Operation.Kind.UPDATE, title, ani.id(), toAni, reason, malS, mal.updatedAt()));
      }
      if (!held.isEmpty()) {
        heldApart.add(UnitMerge.heldApart(key, title, held, aniS, malS));
      }
      if (toMal.isEmpty() && toAni.isEmpty()) {
        if (held.isEmpty() && !entryRefusedOnMal && !entryRefusedOnAni) unchanged++;
        String note = held.isEmpty() ? null : base == null ? null : base.note();
        if (base == null || rekeyed || !base.anilist().equals(aniS) || !base.mal().equals(malS) || !Objects.equals(base.note(), note)) {
          baselinesToRecord.add(new Baseline(key, aniS, malS, now, note));
        }
      } else if (base != null) {
        overwrittenPairs++;
      }
    }

    /** A whole entry the target refused within the last day: nothing is sent to it before the day is over. */
    private boolean refusedEntry(PairKey key, Side target, String title, Map<Unit, Change<?>> changes) {
      for (Refusal r : in.refusals()) {
        if (!r.wholeEntry() || r.side() != target || !r.key().malId().equals(key.malId())) continue;
        if (r.at().plus(Refusal.ENTRY_RETRY).isAfter(now)) {
          if (!changes.isEmpty()) {
            skipped.add(title + ": " + target.label() + " does not take this entry yet (" + r.reason() + "); trying again after "
                + r.at().plus(Refusal.ENTRY_RETRY));
          }
          changes.clear();
          return true;
        }
      }
      return false;
    }

    /** When the AniList entry was last edited, for the page's words; null when AniList did not say. */
    private static Instant editedAt(AniListEntry ani) {
      return ani.updatedAt() > 0 ? Instant.ofEpochSecond(ani.updatedAt()) : null;
    }

    private void aniListOnly(PairKey key, AniListEntry ani) {
      Baseline base = baselineFor(key);
      NeutralState aniS = Convert.fromAniList(ani);
      String title = ani.media().displayTitle();
      if (base != null && in.partial().contains(Side.MAL)) return; // maybe one of the entries MAL's list could not read
      if (base != null) {
        boolean keepOffMal = (ani.isPrivate() || ani.hiddenFromStatusLists()) && !options.includePrivate();
        deletedOn(Side.MAL, base, key, title, aniS, ani.id(), keepOffMal);
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
      Map<Unit, Change<?>> fields = creation(Side.MAL, aniS);
      if (refusedEntry(key, Side.MAL, title, fields)) return;
      operations.add(new Operation(key, Side.MAL, Operation.Kind.CREATE, title, null, fields, "only on AniList", aniS, editedAt(ani)));
    }

    private void malOnly(MalEntry mal) {
      MalId malId = mal.id();
      AniListMediaId aniId = in.pinned().getOrDefault(malId, in.lookedUp().get(malId));
      Baseline base = baseByMal.get(malId);
      if (base != null && consumed.contains(base)) base = null;
      if (base != null) consumed.add(base);
      NeutralState malS = Convert.fromMal(mal);
      if (base != null && in.partial().contains(Side.ANILIST)) return; // maybe one AniList's list could not read
      if (base != null) {
        deletedOn(Side.ANILIST, base, base.key(), mal.displayTitle(), malS, null, false);
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
      Map<Unit, Change<?>> fields = creation(Side.ANILIST, malS);
      if (refusedEntry(key, Side.ANILIST, mal.displayTitle(), fields)) return;
      operations.add(new Operation(key, Side.ANILIST, Operation.Kind.CREATE, mal.displayTitle(), null, fields, "only on MyAnimeList", malS,
          mal.updatedAt()));
    }

    /**
     * The pair existed at the last sync and {@code deletedSide} no longer has it. "keep" leaves a tombstone;
     * "propagate" deletes it on the other side too, unless that side was edited since (the edit wins and the
     * entry is put back). A one-way sync never writes to its source.
     */
    private void deletedOn(Side deletedSide, Baseline base, PairKey key, String title, NeutralState present, Long aniEntryId,
                           boolean privateOnAniList) {
      Side presentSide = deletedSide.other();
      Side source = options.mode().source();
      boolean mayDelete = options.deletions() == SyncOptions.DeletionPolicy.PROPAGATE && (source == null || source == deletedSide);
      // a private AniList entry the user took off MAL is never put back there: that would be creating it on MAL
      if (!mayDelete || privateOnAniList) {
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
      operations.add(new Operation(key, presentSide, Operation.Kind.DELETE, title, aniEntryId, Map.of(),
          "deleted on " + deletedSide.label() + " (sync.deletions: propagate)", present));
    }

    /** Every field of every enabled unit for a new entry; empty values are left to the service's defaults. */
    private Map<Unit, Change<?>> creation(Side target, NeutralState from) {
      Map<Unit, Change<?>> fields = new EnumMap<>(Unit.class);
      for (Unit unit : Unit.values()) {
        boolean always = unit == Unit.STATUS || unit == Unit.PROGRESS;
        if (!always && (!options.units().contains(unit) || Convert.isEmpty(unit, from))) continue;
        Object value = Convert.valueOn(target, type, unit, from);
        if (value != null) fields.put(unit, Change.of(unit, target, null, value));
      }
      return fields;
    }

  }

}
