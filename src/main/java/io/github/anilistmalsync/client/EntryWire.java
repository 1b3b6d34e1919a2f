package io.github.anilistmalsync.client;

import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sync.core.Change;
import io.github.anilistmalsync.sync.core.Operation;
import io.github.anilistmalsync.sync.core.Side;
import io.github.anilistmalsync.sync.core.Unit;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.Map;

/**
 * How one service names and spells a list entry's merge units in its write requests: the sync core's typed changes
 * become request fields here and nowhere else. The run journal keeps an operation's changes in these terms (field →
 * before, after), so a journal written by any version reads back as typed changes through {@link #changes}.
 */
public interface EntryWire {

  Side side();

  /**
   * Puts {@code unit}'s request fields with {@code value} (a value as {@code Convert.valueOn} answers it for this
   * side; null puts the fields with null). Puts nothing for a unit the type does not have (volumes of an anime).
   */
  void put(JsonObject fields, MediaType type, Unit unit, Object value);

  /** {@code unit}'s value from request fields, or null when they do not hold it. */
  Object read(JsonObject fields, MediaType type, Unit unit);

  /** What the client sends for {@code op}: each changed unit's fields with the value written. */
  default JsonObject fields(Operation op) {
    JsonObject f = new JsonObject();
    op.changes().forEach((unit, c) -> put(f, op.key().type(), unit, c.after()));
    return f;
  }

  /** The unit a request field belongs to, or null for a field the sync does not write. */
  default Unit unitOf(MediaType type, String field) {
    for (Unit unit : Unit.values()) {
      JsonObject f = new JsonObject();
      put(f, type, unit, null);
      if (f.containsKey(field)) return unit;
    }
    return null;
  }

  /** {@code op}'s changes as the journal records them: each request field with its value before and after. */
  default JsonObject recorded(Operation op) {
    JsonObject before = new JsonObject();
    JsonObject after = new JsonObject();
    op.changes().forEach((unit, c) -> {
      put(before, op.key().type(), unit, c.before());
      put(after, op.key().type(), unit, c.after());
    });
    JsonObject out = new JsonObject();
    after.fieldNames().forEach(f -> out.put(f, new JsonObject().put("before", before.getValue(f)).put("after", after.getValue(f))));
    return out;
  }

  /** The typed changes of a journal record ({@link #recorded}); fields of no unit ("entry" of a delete) are left out. */
  default Map<Unit, Change<?>> changes(MediaType type, JsonObject recorded) {
    JsonObject before = new JsonObject();
    JsonObject after = new JsonObject();
    for (String f : recorded.fieldNames()) {
      if (recorded.getValue(f) instanceof JsonObject c) {
        before.put(f, c.getValue("before"));
        after.put(f, c.getValue("after"));
      }
    }
    Map<Unit, Change<?>> out = new EnumMap<>(Unit.class);
    for (Unit unit : Unit.values()) {
      Object value = read(after, type, unit);
      if (value != null) out.put(unit, Change.of(unit, side(), read(before, type, unit), value));
    }
    return out;
  }

  /**
   * A refused value as it is compared now ({@link Change#afterText()}). Refusals recorded before changes had types
   * kept the request fields ("{notes=…}"); for a one-field unit holding a number or text that is unwrapped, anything
   * else is answered as it is (a status or date refused then is sent once more, and refused again in today's words).
   */
  default String refusedValue(MediaType type, Unit unit, String stored) {
    if (stored == null || unit == null || unit == Unit.STATUS || unit == Unit.START || unit == Unit.FINISH) return stored;
    JsonObject f = new JsonObject();
    put(f, type, unit, null);
    if (f.size() != 1) return stored;
    String prefix = "{" + f.fieldNames().iterator().next() + "=";
    return stored.startsWith(prefix) && stored.endsWith("}") ? stored.substring(prefix.length(), stored.length() - 1) : stored;
  }

  /** A number field's value, or null. */
  static Integer number(JsonObject fields, String name) {
    return fields.getValue(name) instanceof Number n ? n.intValue() : null;
  }

  /** A text field's value, or null. */
  static String text(JsonObject fields, String name) {
    return fields.getValue(name) instanceof String s ? s : null;
  }
}
