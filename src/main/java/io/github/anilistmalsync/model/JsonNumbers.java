package io.github.anilistmalsync.model;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;

/**
 * Whole numbers read exactly from an upstream's JSON. Vert.x's {@code getInteger} narrows whatever number it finds,
 * so 2^31 episodes would become a negative count; here a number that does not fit its field (or is not a number)
 * makes the answer unreadable instead, which the clients report as a malformed answer.
 */
public final class JsonNumbers {
  private JsonNumbers() {}

  /** The int at {@code key}, or null when absent or null. */
  public static Integer intOrNull(JsonObject o, String key) {
    BigDecimal d = exact(o, key);
    if (d == null) return null;
    try {
      return d.intValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(key + " = " + d + " is not a whole number that fits");
    }
  }

  /** The int at {@code key}, or {@code absent} when absent or null. */
  public static int intOr(JsonObject o, String key, int absent) {
    Integer v = intOrNull(o, key);
    return v == null ? absent : v;
  }

  /** The long at {@code key}, or {@code absent} when absent or null. */
  public static long longOr(JsonObject o, String key, long absent) {
    BigDecimal d = exact(o, key);
    if (d == null) return absent;
    try {
      return d.longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(key + " = " + d + " is not a whole number that fits");
    }
  }

  private static BigDecimal exact(JsonObject o, String key) {
    Object v = o.getValue(key);
    if (v == null) return null;
    if (!(v instanceof Number n)) throw new IllegalArgumentException(key + " is not a number");
    return new BigDecimal(n.toString());
  }
}
