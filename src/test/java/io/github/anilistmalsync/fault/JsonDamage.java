package io.github.anilistmalsync.fault;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Ways a JSON answer arrives damaged, drawn at random from a seed: any JSON value instead of the answer, the text cut
 * off, one field removed, nulled, given a value of the wrong type or a number too big for it. Each damage says what
 * it did, for the property's failure message.
 */
final class JsonDamage {
  private JsonDamage() {}

  /** A damaged body and what was done to it. */
  record Damaged(String body, String what) {}

  /** Numbers no count or id of ours can hold, in the shapes a JSON parser hands them over. */
  static final List<Object> HUGE = List.of(2_147_483_648L, Long.MAX_VALUE, new BigInteger("18446744073709551616"), 1e300, -2_147_483_649L);

  /** Any JSON value, nested up to {@code depth}. */
  static Object randomValue(Random r, int depth) {
    int pick = r.nextInt(depth <= 0 ? 6 : 8);
    return switch (pick) {
      case 0 -> null;
      case 1 -> r.nextBoolean();
      case 2 -> r.nextInt(2001) - 1000;
      case 3 -> HUGE.get(r.nextInt(HUGE.size()));
      case 4 -> r.nextDouble() * 100;
      case 5 -> randomString(r);
      case 6 -> {
        JsonArray a = new JsonArray();
        for (int i = r.nextInt(4); i > 0; i--) a.add(randomValue(r, depth - 1));
        yield a;
      }
      default -> {
        JsonObject o = new JsonObject();
        String[] keys = {"data", "errors", "paging", "next", "id", "node", "list_status", "MediaListCollection", "lists", "entries",
            "Viewer", "Page", "media", "SaveMediaListEntry", "DeleteMediaListEntry", "deleted", "hasNextChunk", "status", "x"};
        for (int i = r.nextInt(4); i > 0; i--) o.put(keys[r.nextInt(keys.length)], randomValue(r, depth - 1));
        yield o;
      }
    };
  }

  private static String randomString(Random r) {
    String[] samples = {"", "completed", "CURRENT", "watching", "2024-13-45", "not json", "\u0000", "null", "[]", "{", "😀", "2024-01-02T03:04:05+00:00"};
    return samples[r.nextInt(samples.length)];
  }

  /** A whole body that is not the answer: any JSON text, or text that is not JSON at all. */
  static Damaged randomBody(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> new Damaged("", "an empty body");
      case 1 -> new Damaged("<html>502 Bad Gateway</html>", "an HTML page");
      default -> {
        Object v = randomValue(r, 3);
        String text = v == null ? "null" : v instanceof String s ? Json.encode(s) : Json.encode(v);
        yield new Damaged(text, "the body " + abbreviate(text));
      }
    };
  }

  /**
   * {@code body} (a JSON object) damaged in one place. Paths for which {@code protectedPath} holds are never
   * removed or nulled (a missing "next page" link cannot be told from the last page).
   */
  static Damaged damage(String body, Random r, Predicate<String> protectedPath) {
    int kind = r.nextInt(7);
    if (kind == 0) {
      int cut = body.isEmpty() ? 0 : r.nextInt(body.length());
      return new Damaged(body.substring(0, cut), "cut off after " + cut + " of " + body.length() + " characters");
    }
    if (kind == 1) return randomBody(r);
    Object root = Json.decodeValue(body);
    List<Slot> slots = new ArrayList<>();
    collect(root, "", slots);
    if (slots.isEmpty()) return randomBody(r);
    Slot slot = slots.get(r.nextInt(slots.size()));
    switch (kind) {
      case 2 -> {
        // an element taken out of an array leaves a shorter list that is still consistent: no reader can tell
        if (protectedPath.test(slot.path()) || slot.array() != null) return new Damaged(body, "nothing (kept " + slot.path() + ")");
        slot.remove();
        return new Damaged(Json.encode(root), "removed " + slot.path());
      }
      case 3 -> {
        if (protectedPath.test(slot.path())) return new Damaged(body, "nothing (protected " + slot.path() + ")");
        slot.set(null);
        return new Damaged(Json.encode(root), "nulled " + slot.path());
      }
      case 4 -> {
        Object huge = HUGE.get(r.nextInt(HUGE.size()));
        slot.set(huge);
        return new Damaged(Json.encode(root), slot.path() + " = " + huge);
      }
      default -> {
        Object wrong = wrongType(slot.get(), r);
        slot.set(wrong);
        return new Damaged(Json.encode(root), slot.path() + " = " + abbreviate(Json.encode(wrong)));
      }
    }
  }

  private static Object wrongType(Object current, Random r) {
    for (int i = 0; i < 20; i++) {
      Object v = randomValue(r, 1);
      if (v != null && (current == null || !sameKind(v, current))) return v;
    }
    return new JsonArray().add("wrong");
  }

  private static boolean sameKind(Object a, Object b) {
    if (a instanceof Number && b instanceof Number) return true;
    return a.getClass() == b.getClass();
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }

  /** One place in a JSON tree: a field of an object or an element of an array. */
  private record Slot(String path, JsonObject object, String key, JsonArray array, int index) {
    Object get() {
      return object != null ? object.getValue(key) : array.getValue(index);
    }

    void set(Object v) {
      if (object != null) object.put(key, v);
      else array.set(index, v);
    }

    void remove() {
      if (object != null) object.remove(key);
      else array.remove(index);
    }
  }

  private static void collect(Object node, String path, List<Slot> into) {
    if (node instanceof JsonObject o) {
      for (String key : new ArrayList<>(o.fieldNames())) {
        String p = path.isEmpty() ? key : path + "." + key;
        into.add(new Slot(p, o, key, null, -1));
        collect(o.getValue(key), p, into);
      }
    } else if (node instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        String p = path + "[" + i + "]";
        into.add(new Slot(p, null, null, a, i));
        collect(a.getValue(i), p, into);
      }
    }
  }
}
