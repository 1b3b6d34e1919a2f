package io.github.anilistmalsync.sync;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One write the plan makes: on which side, what kind, the fields with their values before and after (in the
 * target's own terms, for people to read), and why. {@link #wireFields()} is exactly what the client verticle
 * sends; {@code sourceState} is the neutral state the write copies, from which the pair's next baseline is made.
 */
public record Operation(PairKey key, Side target, Kind kind, String title, Long anilistEntryId,
                        Map<String, Change> changes, String reason, NeutralState sourceState) {

  /** Create an entry, update some of its fields, or delete it. */
  public enum Kind { CREATE, UPDATE, DELETE }

  /** A field's value on the target before the write and the value written. */
  public record Change(Object before, Object after) {}

  public Operation {
    changes = changes == null ? Map.of() : new LinkedHashMap<>(changes);
  }

  /** The fields to send, with the values to write. */
  public JsonObject wireFields() {
    JsonObject f = new JsonObject();
    changes.forEach((field, change) -> f.put(field, change.after()));
    return f;
  }

  public JsonObject toJson() {
    JsonObject ch = new JsonObject();
    changes.forEach((field, c) -> ch.put(field, new JsonObject().put("before", c.before()).put("after", c.after())));
    return new JsonObject()
        .put("key", key.toJson())
        .put("target", target.name())
        .put("kind", kind.name())
        .put("title", title)
        .put("anilistEntryId", anilistEntryId)
        .put("changes", ch)
        .put("reason", reason)
        .put("sourceState", sourceState == null ? null : sourceState.toJson());
  }

  public static Operation fromJson(JsonObject json) {
    Map<String, Change> changes = new LinkedHashMap<>();
    JsonObject ch = json.getJsonObject("changes", new JsonObject());
    for (String field : ch.fieldNames()) {
      JsonObject c = ch.getJsonObject(field);
      changes.put(field, new Change(c.getValue("before"), c.getValue("after")));
    }
    JsonObject source = json.getJsonObject("sourceState");
    return new Operation(PairKey.fromJson(json.getJsonObject("key")), Side.valueOf(json.getString("target")),
        Kind.valueOf(json.getString("kind")), json.getString("title"), json.getLong("anilistEntryId"), changes,
        json.getString("reason"), source == null ? null : NeutralState.fromJson(source));
  }
}
