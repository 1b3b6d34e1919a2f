package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Plans the undoing of a run, purely: each write the run applied is reversed — fields get their before-values back,
 * entries it created are removed, entries it deleted are re-created — but only where the entry still holds what the
 * run left there. An entry changed since is skipped with the reason, so undo never overwrites a later edit.
 */
public final class UndoPlanner {
  private UndoPlanner() {}

  /** A write a run applied, with the service's answer (the entry as saved). */
  public record Applied(Operation operation, JsonObject response) {}

  /**
   * The reversing writes. An entry the run created and undo removes gets a tombstone, so the next sync does not
   * create it again from the other side; adding it back by hand clears it, as for any deletion.
   */
  public static Plan plan(MediaType type, List<Applied> applied, List<AniListEntry> aniList, List<MalEntry> mal, java.time.Instant at) {
    Map<Integer, AniListEntry> aniById = new HashMap<>();
    aniList.forEach(e -> aniById.put(e.media().id().value(), e));
    Map<MalId, MalEntry> malById = new HashMap<>();
    mal.forEach(e -> malById.put(e.id(), e));
    List<Operation> operations = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<Tombstone> tombstones = new ArrayList<>();
    for (int i = applied.size() - 1; i >= 0; i--) {
      Operation op = applied.get(i).operation();
      JsonObject response = applied.get(i).response();
      boolean onAniList = op.target() == Side.ANILIST;
      AniListEntry aniNow = aniById.get(op.key().aniListId().value());
      MalEntry malNow = malById.get(op.key().malId());
      Object current = onAniList ? aniNow : malNow;
      String where = op.title() + " on " + op.target().label();
      switch (op.kind()) {
        case UPDATE, CREATE -> {
          if (current == null) {
            skipped.add(where + ": not undone, the entry was removed since");
            continue;
          }
          Map<String, Object> now = wire(type, op.target(), current);
          Map<String, Object> left = response == null || response.getJsonObject("entry") == null ? null
              : wire(type, op.target(), onAniList ? AniListEntry.fromJson(response.getJsonObject("entry")) : MalEntry.fromJson(response.getJsonObject("entry")));
          boolean untouched = left != null && op.changes().keySet().stream().allMatch(f -> Objects.equals(now.get(f), left.get(f)));
          if (!untouched) {
            skipped.add(where + ": not undone, it was changed after the run");
            continue;
          }
          if (op.kind() == Operation.Kind.CREATE) {
            Map<String, Operation.Change> gone = new LinkedHashMap<>();
            gone.put("entry", new Operation.Change("present", "deleted"));
            operations.add(new Operation(op.key(), op.target(), Operation.Kind.DELETE, op.title(),
                onAniList ? aniNow.id() : null, gone, "undo: the run created it", null));
            tombstones.add(new Tombstone(op.key(), op.target(), at));
          } else {
            Map<String, Operation.Change> back = new LinkedHashMap<>();
            op.changes().forEach((field, change) -> back.put(field, new Operation.Change(now.get(field), change.before())));
            operations.add(new Operation(op.key(), op.target(), Operation.Kind.UPDATE, op.title(),
                onAniList ? aniNow.id() : null, back, "undo: the values before the run", null));
          }
        }
        case DELETE -> {
          if (current != null) {
            skipped.add(where + ": not re-created, it is on the list again");
            continue;
          }
          if (op.sourceState() == null) {
            skipped.add(where + ": not re-created, the run did not record its values");
            continue;
          }
          Map<String, Operation.Change> fields = new LinkedHashMap<>();
          for (Unit unit : Unit.values()) {
            if (unit != Unit.STATUS && unit != Unit.PROGRESS && Convert.isEmpty(unit, op.sourceState())) continue;
            Map<String, Object> values = onAniList ? Convert.aniListFields(type, unit, op.sourceState()) : Convert.malFields(type, unit, op.sourceState());
            values.forEach((f, v) -> fields.put(f, new Operation.Change(null, v)));
          }
          operations.add(new Operation(op.key(), op.target(), Operation.Kind.CREATE, op.title(), null, fields,
              "undo: the run deleted it", op.sourceState()));
        }
      }
    }
    return new Plan(type, operations, List.of(), List.of(), List.of(), List.of(), tombstones, List.of(), skipped, List.of(),
        0, 0, 0, 0, aniList.size(), mal.size());
  }

  /** Every field of an entry in the target's own wire terms, to compare what is there with what the run left. */
  private static Map<String, Object> wire(MediaType type, Side side, Object entry) {
    Map<String, Object> all = new LinkedHashMap<>();
    NeutralState s = side == Side.ANILIST ? Convert.fromAniList((AniListEntry) entry) : Convert.fromMal((MalEntry) entry);
    for (Unit unit : Unit.values()) {
      all.putAll(side == Side.ANILIST ? Convert.aniListFields(type, unit, s) : Convert.malFields(type, unit, s));
    }
    // a JSON round trip makes dates comparable with the values the run recorded
    return new JsonObject(all).getMap();
  }
}
