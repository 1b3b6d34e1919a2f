package io.github.anilistmalsync.sync.core;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.EnumMap;
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

  /** A write a run applied, with the entry as the service saved it (in neutral form; null when not known). */
  public record Applied(Operation operation, NeutralState left) {}

  /**
   * The reversing writes. An entry the run created and undo removes gets a tombstone, so the next sync does not
   * create it again from the other side; adding it back by hand clears it, as for any deletion.
   */
  public static Plan plan(MediaType type, List<Applied> applied, List<AniListEntry> aniList, List<MalEntry> mal, Instant at) {
    Map<Integer, AniListEntry> aniById = new HashMap<>();
    aniList.forEach(e -> aniById.put(e.media().id().value(), e));
    Map<MalId, MalEntry> malById = new HashMap<>();
    mal.forEach(e -> malById.put(e.id(), e));
    List<Operation> operations = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<Tombstone> tombstones = new ArrayList<>();
    for (int i = applied.size() - 1; i >= 0; i--) {
      Operation op = applied.get(i).operation();
      NeutralState left = applied.get(i).left();
      boolean onAniList = op.target() == Side.ANILIST;
      AniListEntry aniNow = aniById.get(op.key().aniListId().value());
      MalEntry malNow = malById.get(op.key().malId());
      NeutralState current = onAniList ? (aniNow == null ? null : Convert.fromAniList(aniNow)) : (malNow == null ? null : Convert.fromMal(malNow));
      String where = op.title() + " on " + op.target().label();
      switch (op.kind()) {
        case UPDATE, CREATE -> {
          if (current == null) {
            skipped.add(where + ": not undone, the entry was removed since");
            continue;
          }
          boolean untouched = left != null && op.changes().keySet().stream()
              .allMatch(u -> Objects.equals(Convert.valueOn(op.target(), type, u, current), Convert.valueOn(op.target(), type, u, left)));
          if (!untouched) {
            skipped.add(where + ": not undone, it was changed after the run");
            continue;
          }
          if (op.kind() == Operation.Kind.CREATE) {
            operations.add(new Operation(op.key(), op.target(), Operation.Kind.DELETE, op.title(),
                onAniList ? aniNow.id() : null, Map.of(), "undo: the run created it", null));
            tombstones.add(new Tombstone(op.key(), op.target(), at));
          } else {
            Map<Unit, Change<?>> back = new EnumMap<>(Unit.class);
            op.changes().forEach((unit, change) ->
                back.put(unit, Change.of(unit, op.target(), Convert.valueOn(op.target(), type, unit, current), change.before())));
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
          Map<Unit, Change<?>> fields = new EnumMap<>(Unit.class);
          for (Unit unit : Unit.values()) {
            if (unit != Unit.STATUS && unit != Unit.PROGRESS && Convert.isEmpty(unit, op.sourceState())) continue;
            Object value = Convert.valueOn(op.target(), type, unit, op.sourceState());
            if (value != null) fields.put(unit, Change.of(unit, op.target(), null, value));
          }
          operations.add(new Operation(op.key(), op.target(), Operation.Kind.CREATE, op.title(), null, fields,
              "undo: the run deleted it", op.sourceState()));
        }
      }
    }
    return new Plan(type, operations, List.of(), List.of(), List.of(), List.of(), tombstones, List.of(), skipped, List.of(),
        0, 0, 0, 0, aniList.size(), mal.size());
  }
}
