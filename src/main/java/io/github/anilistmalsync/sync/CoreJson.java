package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.anilist.AniListWire;
import io.github.anilistmalsync.client.EntryWire;
import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.FuzzyDate;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.mal.MalWire;
import io.github.anilistmalsync.sync.core.Conflict;
import io.github.anilistmalsync.sync.core.Convert;
import io.github.anilistmalsync.sync.core.HeldApart;
import io.github.anilistmalsync.sync.core.NeutralState;
import io.github.anilistmalsync.sync.core.Operation;
import io.github.anilistmalsync.sync.core.PairKey;
import io.github.anilistmalsync.sync.core.Plan;
import io.github.anilistmalsync.sync.core.Side;
import io.github.anilistmalsync.sync.core.UndoPlanner;
import io.github.anilistmalsync.sync.core.Unmapped;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The sync core's records as JSON, for the bus, the pages and the state store; the core itself knows no JSON. An
 * operation's changes are kept in its target service's request fields (field → before, after), as the run journal
 * has always held them, so journals of every version read back as typed changes.
 */
public final class CoreJson {
  private CoreJson() {}

  /** The request fields of {@code side}. */
  public static EntryWire wire(Side side) {
    return side == Side.ANILIST ? AniListWire.INSTANCE : MalWire.INSTANCE;
  }

  public static JsonObject pairKey(PairKey key) {
    return new JsonObject().put("type", key.type().name()).put("malId", key.malId().value()).put("aniListId", key.aniListId().value());
  }

  public static PairKey pairKey(JsonObject json) {
    return new PairKey(MediaType.parse(json.getString("type")), new MalId(json.getInteger("malId")),
        new AniListMediaId(json.getInteger("aniListId")));
  }

  /** A neutral state as the baseline table holds it (and the live watermark hashes it: keep the order). */
  public static JsonObject neutral(NeutralState s) {
    return new JsonObject()
        .put("status", s.status().name())
        .put("progress", s.progress())
        .put("score100", s.score100())
        .put("volumes", s.volumes())
        .put("repeat", s.repeat())
        .put("started", s.started().toJson())
        .put("finished", s.finished().toJson())
        .put("notes", s.notes());
  }

  public static NeutralState neutral(JsonObject json) {
    return new NeutralState(
        AniListStatus.valueOf(json.getString("status")),
        json.getInteger("progress", 0),
        json.getInteger("score100", 0),
        json.getInteger("volumes", 0),
        json.getInteger("repeat", 0),
        FuzzyDate.fromJson(json.getJsonObject("started")),
        FuzzyDate.fromJson(json.getJsonObject("finished")),
        json.getString("notes"));
  }

  public static JsonObject operation(Operation op) {
    // a delete changes no unit; the journal has always shown it as the entry going
    JsonObject changes = op.kind() == Operation.Kind.DELETE
        ? new JsonObject().put("entry", new JsonObject().put("before", "present").put("after", "deleted"))
        : wire(op.target()).recorded(op);
    return new JsonObject()
        .put("key", pairKey(op.key()))
        .put("target", op.target().name())
        .put("kind", op.kind().name())
        .put("title", op.title())
        .put("anilistEntryId", op.anilistEntryId())
        .put("changes", changes)
        .put("reason", op.reason())
        .put("sourceState", op.sourceState() == null ? null : neutral(op.sourceState()))
        .put("sourceEditedAt", op.sourceEditedAt() == null ? null : op.sourceEditedAt().toString());
  }

  public static Operation operation(JsonObject json) {
    PairKey key = pairKey(json.getJsonObject("key"));
    Side target = Side.valueOf(json.getString("target"));
    JsonObject source = json.getJsonObject("sourceState");
    return new Operation(key, target, Operation.Kind.valueOf(json.getString("kind")), json.getString("title"),
        json.getLong("anilistEntryId"), wire(target).changes(key.type(), json.getJsonObject("changes", new JsonObject())),
        json.getString("reason"), source == null ? null : neutral(source),
        json.getString("sourceEditedAt") == null ? null : Instant.parse(json.getString("sourceEditedAt")));
  }

  /** A journal row's write and the service's answer to it, for an undo. */
  public static UndoPlanner.Applied applied(JsonObject body, JsonObject response) {
    Operation op = operation(body);
    JsonObject entry = response == null ? null : response.getJsonObject("entry");
    NeutralState left = entry == null ? null
        : op.target() == Side.ANILIST ? Convert.fromAniList(AniListEntry.fromJson(entry)) : Convert.fromMal(MalEntry.fromJson(entry));
    return new UndoPlanner.Applied(op, left);
  }

  public static JsonObject plan(Plan plan) {
    JsonArray ops = new JsonArray();
    plan.operations().forEach(o -> ops.add(operation(o)));
    JsonArray conf = new JsonArray();
    plan.conflicts().forEach(c -> conf.add(conflict(c)));
    JsonArray un = new JsonArray();
    plan.unmapped().forEach(u -> un.add(unmapped(u)));
    JsonArray held = new JsonArray();
    plan.heldApart().forEach(h -> held.add(heldApart(h)));
    return new JsonObject()
        .put("type", plan.type().name())
        .put("operations", ops)
        .put("conflicts", conf)
        .put("unmapped", un)
        .put("skipped", new JsonArray(plan.skipped()))
        .put("heldApart", held)
        .put("paired", plan.pairedCount())
        .put("unchanged", plan.unchangedCount());
  }

  /** The operations of a plan as {@link #plan} recorded it. */
  public static List<Operation> operations(JsonObject plan) {
    List<Operation> out = new ArrayList<>();
    for (Object o : plan.getJsonArray("operations", new JsonArray())) {
      if (o instanceof JsonObject op) out.add(operation(op));
    }
    return out;
  }

  public static JsonObject conflict(Conflict c) {
    return new JsonObject().put("key", pairKey(c.key())).put("title", c.title()).put("unit", c.unit())
        .put("anilistValue", c.anilistValue()).put("malValue", c.malValue())
        .put("winner", c.winner() == null ? null : c.winner().name()).put("reason", c.reason());
  }

  public static JsonObject unmapped(Unmapped u) {
    return new JsonObject().put("side", u.side().name()).put("id", u.id()).put("title", u.title()).put("reason", u.reason());
  }

  public static JsonObject heldApart(HeldApart h) {
    return new JsonObject().put("key", pairKey(h.key())).put("title", h.title())
        .put("differences", new JsonArray(h.differences())).put("reason", h.reason());
  }
}
