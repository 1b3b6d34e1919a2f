package io.github.anilistmalsync.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * What a save changes that the user must know before it is in force: the keys that decide where secrets go (which
 * need the password) and the keys the service reads only at start (in force after a restart). Compares two files'
 * values, a key left out counting as its default. Pure.
 */
public final class ConfigChanges {
  private ConfigChanges() {}

  /**
   * The changes between two files (a key left out counts as its default) to keys that decide where a token, a secret
   * or a webhook payload goes ({@link ConfigSchema#guarded}): {key, before, after}. Webhook URLs carry tokens: only
   * their scheme and host are shown; a password only as "changed".
   */
  public static JsonArray guardedChanges(JsonObject beforeFile, JsonObject afterFile) {
    JsonObject before = withMyAnimeList(beforeFile);
    JsonObject after = withMyAnimeList(afterFile);
    JsonArray out = new JsonArray();
    for (ConfigKey key : ConfigSchema.keys()) {
      if (!ConfigSchema.guarded(key) || key.kind() == ConfigKey.Kind.LIST) continue;
      Object a = valueOrDefault(before, key);
      Object b = valueOrDefault(after, key);
      if (same(a, b)) continue;
      if (key.secret()) {
        out.add(new JsonObject().put("key", key.path()).put("before", a == null ? "not set" : "set").put("after", b == null ? "not set" : "changed"));
      } else {
        out.add(new JsonObject().put("key", key.path()).put("before", a).put("after", b));
      }
    }
    List<String> hooksBefore = webhookUrls(before);
    List<String> hooksAfter = webhookUrls(after);
    for (int i = 0; i < Math.max(hooksBefore.size(), hooksAfter.size()); i++) {
      String a = i < hooksBefore.size() ? hooksBefore.get(i) : null;
      String b = i < hooksAfter.size() ? hooksAfter.get(i) : null;
      if (!java.util.Objects.equals(a, b)) {
        out.add(new JsonObject().put("key", "notifications.webhooks[" + i + "].url").put("before", origin(a)).put("after", origin(b)));
      }
    }
    return out;
  }

  /** The keys read only at start ({@link ConfigSchema#needsRestart}) whose value differs between two files. */
  public static JsonArray restartChanges(JsonObject beforeFile, JsonObject afterFile) {
    JsonObject before = withMyAnimeList(beforeFile);
    JsonObject after = withMyAnimeList(afterFile);
    JsonArray out = new JsonArray();
    for (ConfigKey key : ConfigSchema.keys()) {
      if (ConfigSchema.needsRestart(key) && !same(valueOrDefault(before, key), valueOrDefault(after, key))) out.add(key.path());
    }
    return out;
  }

  /** Two config values are the same when they read the same: numbers by value, lists item by item. */
  public static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) return x.doubleValue() == y.doubleValue();
    if (a instanceof List<?> l) a = new JsonArray(new ArrayList<>(l));
    if (b instanceof List<?> l) b = new JsonArray(new ArrayList<>(l));
    if (a instanceof String s && s.isEmpty()) a = null;
    if (b instanceof String s && s.isEmpty()) b = null;
    return java.util.Objects.equals(a, b);
  }

  static Object valueOrDefault(JsonObject file, ConfigKey key) {
    Object v = ConfigLoader.at(file, key.path());
    if (v instanceof String s && s.isEmpty()) v = null;
    if (v == null && key.defaultValue() instanceof List<?> l) return new JsonArray(new ArrayList<>(l));
    return v == null ? key.defaultValue() : v;
  }

  /** The file with the old {@code mal:} section read as {@code myanimelist:}. */
  static JsonObject withMyAnimeList(JsonObject file) {
    JsonObject copy = file == null ? new JsonObject() : file.copy();
    if (copy.containsKey("mal") && !copy.containsKey("myanimelist")) copy.put("myanimelist", copy.remove("mal"));
    return copy;
  }

  static List<String> webhookUrls(JsonObject file) {
    List<String> out = new ArrayList<>();
    Object hooks = ConfigLoader.at(file, "notifications.webhooks");
    if (hooks instanceof JsonArray list) {
      for (Iterator<Object> it = list.iterator(); it.hasNext(); ) {
        // JsonArray's iterator hands nested maps out as JsonObjects
        Object h = it.next();
        Object url = h instanceof JsonObject o ? o.getValue("url") : h;
        out.add(url == null ? null : String.valueOf(url));
      }
    } else if (hooks != null) {
      out.add(String.valueOf(hooks));
    }
    return out;
  }

  /** Scheme and host of a URL, with the rest (where tokens live) cut off. */
  static String origin(String url) {
    if (url == null) return null;
    try {
      java.net.URI uri = java.net.URI.create(url);
      if (uri.getScheme() == null || uri.getHost() == null) return "(not a URL)";
      return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + "/…";
    } catch (RuntimeException e) {
      return "(not a URL)";
    }
  }
}
