package io.github.anilistmalsync.sync.core;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListMedia;
import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Library's rows of one type as a run leaves them: every pair and every one-sided entry of the lists the run read,
 * each with both sides' values and its state (in sync, differs and what the next sync does, only on one side,
 * unmapped, held apart, refused, ignored; private on AniList is a flag beside it). Pure: the run's input and plan, what became of its writes and the
 * store's state after them in; rows out. Pairs are found as the planner found them (pins, AniList's MAL ids, the
 * lookups); whether two sides agree is decided by {@link Convert#same}, never by the absence of a write.
 */
public final class LibraryRows {
  private LibraryRows() {}

  /** A retry's time as a page reads it, to the minute: the rows are stored as text, read long after the run. */
  private static final java.time.format.DateTimeFormatter RETRY_TIME =
      java.time.format.DateTimeFormatter.ofPattern("d MMM yyyy HH:mm 'UTC'", Locale.ENGLISH).withZone(java.time.ZoneOffset.UTC);

  /** A row's state, as the Library filters by it. */
  public enum State {
    IN_SYNC, DIFFERS, ONE_SIDE, UNMAPPED, HELD_APART, REFUSED, IGNORED;

    /** The word in URLs and JSON: {@code in_sync}, {@code held_apart}, … */
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static State parse(String word) {
      return valueOf(word.trim().toUpperCase(Locale.ROOT));
    }
  }

  /**
   * One row: {@code malId} / {@code aniListId} 0 when that side has none; a side's state null when it has no entry.
   * {@code differences} one line per field that differs, both sides' values; {@code next} what the next sync will do
   * about it, when that is known; {@code note} why it is in this state; {@code touched} whether this run wrote to it
   * or meant to.
   */
  public record Row(MediaType type, int malId, int aniListId, String title, String malTitle, State state,
                    NeutralState aniList, NeutralState mal, Integer total, boolean isPrivate, List<String> differences,
                    String next, String note, boolean touched) {
    public Row {
      differences = List.copyOf(differences);
    }
  }

  /** What became of one planned write in the run: {@code status} planned, applied, failed or skipped, with why. */
  public record Outcome(String status, String error) {}

  /** The key of a write's outcome: the side written and the pair's MAL id. */
  public static String outcomeKey(Side side, int malId) {
    return side.name() + "/" + malId;
  }

  /**
   * The rows of {@code input}'s lists. {@code outcomes} holds what became of the plan's writes (by
   * {@link #outcomeKey}); {@code after} the store's baselines, tombstones and refusals after the run. Pairs whose
   * delete was carried out are gone from both sides and have no row.
   */
  public static List<Row> of(PlanInput input, Plan plan, Map<String, Outcome> outcomes, StateAfter after) {
    return new Building(input, plan, outcomes, after).rows();
  }

  /**
   * The unit a difference line is about ("score: AniList 80, MyAnimeList 7", or the planner's held-apart
   * "start_date: …"), so a page can say both values in its own words; null for a line of neither form.
   */
  public static Unit unitOf(String differenceLine) {
    int colon = differenceLine == null ? -1 : differenceLine.indexOf(": ");
    if (colon < 0) return null;
    String name = differenceLine.substring(0, colon);
    for (Unit unit : Unit.values()) {
      if (name.equals(Building.words(unit)) || name.equals(unit.configName())) return unit;
    }
    return null;
  }

  /** The store's state of the type after the run. */
  public record StateAfter(List<Baseline> baselines, List<Tombstone> tombstones, List<Refusal> refusals) {}

  private static final class Building {
    private final PlanInput in;
    private final Plan plan;
    private final Map<String, Outcome> outcomes;
    private final MediaType type;
    private final Map<Integer, List<Operation>> opsByMal = new HashMap<>();
    private final Map<Integer, HeldApart> heldByMal = new HashMap<>();
    private final Map<Integer, Baseline> baseByMal = new HashMap<>();
    private final Map<Integer, Tombstone> tombByMal = new HashMap<>();
    private final Map<Integer, List<Refusal>> refusedByMal = new HashMap<>();
    private final Map<String, String> skippedByTitle = new HashMap<>();
    private final List<Row> rows = new ArrayList<>();

    Building(PlanInput in, Plan plan, Map<String, Outcome> outcomes, StateAfter after) {
      this.in = in;
      this.plan = plan;
      this.outcomes = outcomes;
      this.type = in.type();
      plan.operations().forEach(op -> opsByMal.computeIfAbsent(op.key().malId().value(), k -> new ArrayList<>()).add(op));
      plan.heldApart().forEach(h -> heldByMal.put(h.key().malId().value(), h));
      after.baselines().stream().filter(b -> b.key().type() == type).forEach(b -> baseByMal.put(b.key().malId().value(), b));
      after.tombstones().stream().filter(t -> t.key().type() == type).forEach(t -> tombByMal.put(t.key().malId().value(), t));
      after.refusals().stream().filter(r -> r.key().type() == type)
          .forEach(r -> refusedByMal.computeIfAbsent(r.key().malId().value(), k -> new ArrayList<>()).add(r));
      for (String line : plan.skipped()) {
        int colon = line.indexOf(": ");
        if (colon > 0) skippedByTitle.putIfAbsent(line.substring(0, colon), line.substring(colon + 2));
      }
    }

    List<Row> rows() {
      Set<Integer> unmappedAniList = new HashSet<>();
      Map<String, String> unmappedReason = new HashMap<>();
      for (Unmapped u : plan.unmapped()) {
        if (u.side() == Side.ANILIST) unmappedAniList.add(u.id());
        unmappedReason.put(u.side().name() + "/" + u.id(), u.reason());
      }
      Map<AniListMediaId, MalId> pinByAni = new HashMap<>();
      in.pinned().forEach((mal, ani) -> pinByAni.put(ani, mal));
      Map<MalId, MalEntry> malById = new LinkedHashMap<>();
      for (MalEntry e : in.mal()) {
        if (e.type() == type) malById.put(e.id(), e);
      }
      Set<MalId> claimed = new HashSet<>();
      for (AniListEntry ani : in.anilist()) {
        if (ani.type() != type) continue;
        AniListMedia media = ani.media();
        MalId malId = pinByAni.getOrDefault(media.id(), media.idMal());
        if (unmappedAniList.contains(media.id().value()) || malId == null) {
          rows.add(row(0, media.id().value(), ani, null, State.UNMAPPED, List.of(), null,
              unmappedReason.getOrDefault("ANILIST/" + media.id().value(), "AniList knows no MAL id for it"), false));
          continue;
        }
        MalEntry mal = malById.get(malId);
        claimed.add(malId);
        if (in.ignored().contains(malId)) {
          rows.add(row(malId.value(), media.id().value(), ani, mal, State.IGNORED, List.of(), null, "ignored: no sync touches it", false));
        } else if (mal != null) {
          pair(new PairKey(type, malId, media.id()), ani, mal);
        } else {
          aniListOnly(new PairKey(type, malId, media.id()), ani);
        }
      }
      malById.forEach((malId, mal) -> {
        if (claimed.contains(malId)) return;
        AniListMediaId aniId = in.pinned().get(malId);
        if (aniId == null && in.lookedUp().get(malId) != null) aniId = in.lookedUp().get(malId);
        if (in.ignored().contains(malId)) {
          rows.add(row(malId.value(), 0, null, mal, State.IGNORED, List.of(), null, "ignored: no sync touches it", false));
        } else if (aniId == null || unmappedReason.containsKey("MAL/" + malId.value())) {
          rows.add(row(malId.value(), 0, null, mal, State.UNMAPPED, List.of(), null,
              unmappedReason.getOrDefault("MAL/" + malId.value(), "no AniList media has this MAL id"), false));
        } else {
          malOnly(new PairKey(type, malId, aniId), mal);
        }
      });
      return rows;
    }

    private void pair(PairKey key, AniListEntry ani, MalEntry mal) {
      int m = key.malId().value();
      List<Operation> ops = opsByMal.getOrDefault(m, List.of());
      boolean written = !ops.isEmpty() && ops.stream().allMatch(this::applied);
      NeutralState aniS = Convert.fromAniList(ani);
      NeutralState malS = Convert.fromMal(mal);
      Baseline base = baseByMal.get(m);
      if (written && base != null && base.key().aniListId().equals(key.aniListId())) {
        aniS = base.anilist();
        malS = base.mal();
      }
      List<String> differences = differences(aniS, malS, mal);
      HeldApart held = heldByMal.get(m);
      Refusal entryRefusal = activeEntryRefusal(m);
      State state;
      String next = null;
      String note = null;
      if (differences.isEmpty()) {
        state = State.IN_SYNC;
      } else if (!ops.isEmpty() && !written) {
        state = State.DIFFERS;
        next = whatTheWritesDo(ops);
        note = whyNotWritten(ops);
      } else if (held != null) {
        boolean refused = held.reason() != null && held.reason().contains(" refused this ");
        state = refused ? State.REFUSED : State.HELD_APART;
        differences = held.differences();
        note = held.reason();
        next = "no sync changes it on its own: choose which side to keep on the Mappings page";
      } else if (entryRefusal != null) {
        state = State.REFUSED;
        note = refusalSentence(entryRefusal);
      } else if (fieldRefusal(m) != null) {
        // refused in this very run: the other fields were saved, this one is held apart from the next sync on
        Refusal r = fieldRefusal(m);
        state = State.REFUSED;
        note = r.side().label() + " refused the " + words(r.unit()) + ": " + r.reason();
      } else {
        state = State.DIFFERS;
        note = skippedByTitle.get(ani.media().displayTitle());
      }
      rows.add(row(m, key.aniListId().value(), ani, mal, aniS, malS, state, differences, next, note, !ops.isEmpty()));
    }

    private void aniListOnly(PairKey key, AniListEntry ani) {
      oneSided(key, ani, null, Side.ANILIST);
    }

    private void malOnly(PairKey key, MalEntry mal) {
      oneSided(key, null, mal, Side.MAL);
    }

    /** An entry on {@code present}'s list only: created on the other side by this run, or why not. */
    private void oneSided(PairKey key, AniListEntry ani, MalEntry mal, Side present) {
      int m = key.malId().value();
      int a = key.aniListId().value();
      List<Operation> ops = opsByMal.getOrDefault(m, List.of());
      boolean written = !ops.isEmpty() && ops.stream().allMatch(this::applied);
      NeutralState aniS = ani == null ? null : Convert.fromAniList(ani);
      NeutralState malS = mal == null ? null : Convert.fromMal(mal);
      if (written && ops.stream().anyMatch(op -> op.kind() == Operation.Kind.DELETE)) return; // gone from both now
      if (written) {
        Baseline base = baseByMal.get(m);
        Operation create = ops.get(0);
        NeutralState created = base != null ? (present == Side.ANILIST ? base.mal() : base.anilist()) : create.sourceState();
        if (base != null) {
          aniS = base.anilist();
          malS = base.mal();
        } else if (present == Side.ANILIST) {
          malS = created;
        } else {
          aniS = created;
        }
        List<String> differences = aniS == null || malS == null ? List.of() : differences(aniS, malS, mal);
        rows.add(row(m, a, ani, mal, aniS, malS, differences.isEmpty() ? State.IN_SYNC : State.DIFFERS, differences,
            null, "created on " + present.other().label() + " by this sync", true));
        return;
      }
      String title = ani != null ? ani.media().displayTitle() : mal.displayTitle();
      String next = null;
      String note;
      State state = State.ONE_SIDE;
      Refusal entryRefusal = activeEntryRefusal(m);
      Tombstone tomb = tombByMal.get(m);
      Side source = in.options().mode().source();
      if (!ops.isEmpty()) {
        next = whatTheWritesDo(ops);
        note = whyNotWritten(ops);
      } else if (entryRefusal != null) {
        state = State.REFUSED;
        note = refusalSentence(entryRefusal);
      } else if (tomb != null && tomb.deletedOn() == present.other()) {
        note = "removed from " + present.other().label() + " earlier; not put back there (sync.deletions: keep)";
      } else if (ani != null && (ani.isPrivate() || ani.hiddenFromStatusLists()) && !in.options().includePrivate()) {
        note = "private on AniList: not created on MyAnimeList, whose lists are public (sync.include_private)";
      } else if (source != null && source != present) {
        note = "the sync runs one way, from " + source.label() + ": nothing is copied from " + present.label();
      } else {
        note = skippedByTitle.getOrDefault(title, "only on " + present.label());
      }
      rows.add(row(m, a, ani, mal, aniS, malS, state, List.of(), next, note, !ops.isEmpty()));
    }

    private boolean applied(Operation op) {
      Outcome o = outcomes.get(outcomeKey(op.target(), op.key().malId().value()));
      return o != null && "applied".equals(o.status());
    }

    /** "writes score and status to MyAnimeList; creates it on AniList": the plan's writes for the pair, in words. */
    private String whatTheWritesDo(List<Operation> ops) {
      List<String> parts = new ArrayList<>();
      for (Operation op : ops) {
        String where = op.target().label();
        switch (op.kind()) {
          case CREATE -> parts.add("creates it on " + where);
          case DELETE -> parts.add("deletes it from " + where + " (" + op.reason() + ")");
          case UPDATE -> {
            Set<String> units = new LinkedHashSet<>();
            for (Unit unit : op.changes().keySet()) units.add(words(unit));
            parts.add("writes " + String.join(", ", units) + " to " + where);
          }
        }
      }
      return "the next sync " + String.join("; ", parts);
    }

    /** Why the pair's writes were not carried out in this run (a dry run, the guard, a failure), or null. */
    private String whyNotWritten(List<Operation> ops) {
      for (Operation op : ops) {
        Outcome o = outcomes.get(outcomeKey(op.target(), op.key().malId().value()));
        if (o == null || "applied".equals(o.status())) continue;
        if ("failed".equals(o.status())) return "the last try failed: " + o.error();
        if (o.error() != null) return "not written: " + o.error();
      }
      return null;
    }

    private Refusal activeEntryRefusal(int malId) {
      for (Refusal r : refusedByMal.getOrDefault(malId, List.of())) {
        if (r.wholeEntry() && r.at().plus(Refusal.ENTRY_RETRY).isAfter(in.now())) return r;
      }
      return null;
    }

    private Refusal fieldRefusal(int malId) {
      return refusedByMal.getOrDefault(malId, List.of()).stream().filter(r -> !r.wholeEntry()).findFirst().orElse(null);
    }

    private static String refusalSentence(Refusal r) {
      Instant retry = r.at().plus(Refusal.ENTRY_RETRY);
      return r.side().label() + " refused the entry: " + r.reason() + " (tried again after " + RETRY_TIME.format(retry) + ")";
    }

    /** One line per synced field whose two values differ: "score: AniList 80, MyAnimeList 7". */
    private List<String> differences(NeutralState ani, NeutralState mal, MalEntry malEntry) {
      Convert.Caps caps = malEntry == null ? Convert.Caps.NONE : Convert.Caps.of(malEntry);
      List<String> out = new ArrayList<>();
      for (Unit unit : Unit.values()) {
        if (!in.options().units().contains(unit)) continue;
        if (malEntry != null && Convert.unknownOnMal(unit, malEntry)) continue;
        if (Convert.same(unit, ani, mal, caps)) continue;
        out.add(words(unit) + ": AniList " + value(unit, ani, Side.ANILIST) + ", MyAnimeList " + value(unit, mal, Side.MAL));
      }
      return out;
    }

    private String value(Unit unit, NeutralState s, Side side) {
      return switch (unit) {
        case STATUS -> s.status().name().toLowerCase(Locale.ROOT);
        case PROGRESS -> String.valueOf(s.progress());
        case SCORE -> s.score100() == 0 ? "none" : side == Side.MAL ? String.valueOf(s.score100() / 10) : String.valueOf(s.score100());
        case VOLUMES -> String.valueOf(s.volumes());
        case REPEAT -> String.valueOf(s.repeat());
        case START -> s.started().toString();
        case FINISH -> s.finished().toString();
        case NOTES -> s.notes().isEmpty() ? "none" : "a note of " + s.notes().codePointCount(0, s.notes().length()) + " characters";
      };
    }

    private static String words(Unit unit) {
      return switch (unit) {
        case START -> "start date";
        case FINISH -> "finish date";
        case REPEAT -> "repeat count";
        default -> unit.configName();
      };
    }

    private Row row(int malId, int aniListId, AniListEntry ani, MalEntry mal, State state, List<String> differences, String next,
                    String note, boolean touched) {
      return row(malId, aniListId, ani, mal, ani == null ? null : Convert.fromAniList(ani), mal == null ? null : Convert.fromMal(mal),
          state, differences, next, note, touched);
    }

    private Row row(int malId, int aniListId, AniListEntry ani, MalEntry mal, NeutralState aniS, NeutralState malS, State state,
                    List<String> differences, String next, String note, boolean touched) {
      String title = ani != null ? ani.media().displayTitle() : mal.displayTitle();
      Integer total = mal != null && mal.progressTotal() != null && mal.progressTotal() > 0 ? mal.progressTotal()
          : ani != null ? ani.media().progressTotal() : null;
      boolean isPrivate = ani != null && (ani.isPrivate() || ani.hiddenFromStatusLists());
      return new Row(type, malId, aniListId, title, mal == null ? null : mal.title(), state, aniS, malS, total, isPrivate,
          differences, next, note, touched);
    }
  }
}
