package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.sync.core.Operation;
import io.github.anilistmalsync.sync.core.Plan;
import io.vertx.core.json.JsonObject;

/**
 * What one type's run did, counted: the writes by kind, the pairs left as they were, held apart or unpaired, the
 * conflicts met and the errors. The one place the counts' JSON ({created, updated, deleted, unchanged, heldApart,
 * unmapped, conflicts, errors}) is written and read.
 */
public record TypeCounts(int created, int updated, int deleted, int unchanged, int heldApart, int unmapped, int conflicts,
                         int errors) {
  public static final TypeCounts NONE = new TypeCounts(0, 0, 0, 0, 0, 0, 0, 0);

  /** One more write of {@code kind}. */
  public TypeCounts written(Operation.Kind kind) {
    return switch (kind) {
      case CREATE -> new TypeCounts(created + 1, updated, deleted, unchanged, heldApart, unmapped, conflicts, errors);
      case UPDATE -> new TypeCounts(created, updated + 1, deleted, unchanged, heldApart, unmapped, conflicts, errors);
      case DELETE -> new TypeCounts(created, updated, deleted + 1, unchanged, heldApart, unmapped, conflicts, errors);
    };
  }

  /** Every write of {@code plan} counted as done (a preview's, or a stale apply's, counts are what it would write). */
  public TypeCounts writing(Plan plan) {
    TypeCounts c = this;
    for (Operation op : plan.operations()) c = c.written(op.kind());
    return c;
  }

  /** The plan's pairs that need no write, are held apart or unpaired, and its conflicts (the writes are counted apart). */
  public TypeCounts planned(Plan plan) {
    return new TypeCounts(created, updated, deleted, plan.unchangedCount(), plan.heldApart().size(), plan.unmapped().size(),
        plan.conflicts().size(), errors);
  }

  public TypeCounts withError() {
    return new TypeCounts(created, updated, deleted, unchanged, heldApart, unmapped, conflicts, errors + 1);
  }

  /** The sum of two counts (several types, or several runs). */
  public TypeCounts merge(TypeCounts o) {
    return new TypeCounts(created + o.created, updated + o.updated, deleted + o.deleted, unchanged + o.unchanged,
        heldApart + o.heldApart, unmapped + o.unmapped, conflicts + o.conflicts, errors + o.errors);
  }

  /** Entries written (created, updated or deleted). */
  public int changed() {
    return created + updated + deleted;
  }

  public JsonObject toJson() {
    return new JsonObject().put("created", created).put("updated", updated).put("deleted", deleted).put("unchanged", unchanged)
        .put("heldApart", heldApart).put("unmapped", unmapped).put("conflicts", conflicts).put("errors", errors);
  }

  /** From a type's counts as the bus and the store carry them; a count missing (older runs) is 0. */
  public static TypeCounts fromJson(JsonObject json) {
    if (json == null) return NONE;
    return new TypeCounts(json.getInteger("created", 0), json.getInteger("updated", 0), json.getInteger("deleted", 0),
        json.getInteger("unchanged", 0), json.getInteger("heldApart", 0), json.getInteger("unmapped", 0),
        json.getInteger("conflicts", 0), json.getInteger("errors", 0));
  }

  /** "7 created, 8 updated, 58 unchanged": the counts that are not zero (unchanged always), for a log line. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    append(s, created, "created", false);
    append(s, updated, "updated", false);
    append(s, deleted, "deleted", false);
    append(s, unchanged, "unchanged", true);
    append(s, heldApart, "held apart", false);
    append(s, unmapped, "unmapped", false);
    append(s, conflicts, "conflicts", false);
    append(s, errors, "errors", false);
    return s.toString();
  }

  private static void append(StringBuilder s, int n, String word, boolean always) {
    if (n == 0 && !always) return;
    s.append(s.isEmpty() ? "" : ", ").append(n).append(' ').append(word);
  }
}
