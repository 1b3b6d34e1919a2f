package io.github.anilistmalsync.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings form's side of the config file: what the form shows of it (every schema key, a secret only as set or
 * not set; the webhooks without their URLs), and a form post turned into an edit of the stored tree, key by key.
 * Pure: no I/O.
 */
final class ConfigForm {
  private ConfigForm() {}

  /**
   * Every schema key for the form, in schema order: {key, group, kind, description, default, allowed, secret,
   * needsRestart, guarded, inFile, and for a secret {@code set}, for the others {@code value} (the file's, or null)}.
   * {@code doc} null: nothing is known of the file.
   */
  static JsonArray fields(ConfigText.Doc doc) {
    JsonObject file = doc == null ? new JsonObject() : ConfigChanges.withMyAnimeList(safeJson(doc));
    JsonArray out = new JsonArray();
    for (ConfigKey key : ConfigSchema.keys()) {
      Object value = ConfigLoader.at(file, key.path());
      JsonObject field = new JsonObject()
          .put("key", key.path())
          .put("group", ConfigSchema.group(key))
          .put("kind", key.kind().name())
          .put("description", key.help())
          .put("default", key.secret() ? null : defaultJson(key))
          .put("allowed", new JsonArray(new ArrayList<>(key.allowed())))
          .put("secret", key.secret())
          .put("required", key.required())
          .put("needsRestart", ConfigSchema.needsRestart(key))
          .put("guarded", ConfigSchema.guarded(key))
          .put("inFile", value != null);
      if (key.secret()) {
        field.put("set", value != null && !(value instanceof String s && s.isEmpty()) && !(value instanceof JsonArray a && a.isEmpty()));
      } else {
        field.put("value", value);
      }
      out.add(field);
    }
    return out;
  }


  private static Object defaultJson(ConfigKey key) {
    return key.defaultValue() instanceof List<?> l ? new JsonArray(new ArrayList<>(l)) : key.defaultValue();
  }

  /** The webhooks of the file for the form, without their URLs: {index, urlSet, format, events}. */
  static JsonArray webhooks(ConfigText.Doc doc) {
    JsonArray out = new JsonArray();
    Object hooks = ConfigLoader.at(safeJson(doc), "notifications.webhooks");
    if (!(hooks instanceof JsonArray list)) return out;
    for (int i = 0; i < list.size(); i++) {
      JsonObject hook = list.getValue(i) instanceof JsonObject o ? o : new JsonObject();
      Object events = hook.getValue("events");
      out.add(new JsonObject().put("index", i).put("urlSet", hook.getValue("url") != null)
          .put("format", hook.getString("format", "json"))
          .put("events", events instanceof JsonArray e ? e : null));
    }
    return out;
  }

  static JsonObject safeJson(ConfigText.Doc doc) {
    try {
      return doc.json();
    } catch (RuntimeException e) {
      return new JsonObject();
    }
  }


  /** What a save turns into before it is checked: the new tree, or why it cannot be made. */
  record Draft(ConfigText.Doc doc, List<ConfigProblem> problems, Map<String, String> typed) {}


  /**
   * A form save: the stored tree, changed key by key. {values: {path: value}} for keys the form shows (a key not
   * sent is left alone; a blank non-secret goes back to its default; a blank secret keeps what is stored, or what was
   * typed before when its path is in keepTyped), clear: [secret paths to remove], webhooks: [{index?, url?, format,
   * events, remove?}] when the form shows them.
   */
  static Draft edit(JsonObject body, ConfigText.Parsed stored, Map<String, String> pending) {
    if (!stored.ok()) {
      return new Draft(null, List.of(new ConfigProblem("config", "the file on disk cannot be edited as a form: "
          + stored.asProblem().message() + ". Fix it in the raw view (secrets there show as the placeholder only when the file can be read)")), Map.of());
    }
    ConfigText.Doc doc = ConfigText.parse(stored.doc().text()).doc();
    JsonObject file = ConfigChanges.withMyAnimeList(safeJson(doc));
    JsonObject values = body.getJsonObject("values", new JsonObject());
    Set<String> clear = new LinkedHashSet<>(strings(body.getJsonArray("clear")));
    Set<String> keepTyped = new LinkedHashSet<>(strings(body.getJsonArray("keepTyped")));
    Map<String, String> typed = new HashMap<>();
    List<ConfigProblem> problems = new ArrayList<>();
    for (ConfigKey key : ConfigSchema.keys()) {
      if (key.kind() == ConfigKey.Kind.LIST) continue;
      String path = key.path();
      if (key.secret()) {
        Object v = values.getValue(path);
        if (clear.contains(path)) {
          doc.remove(path);
        } else if (v instanceof String s && !s.isEmpty() && !s.contains(ConfigMasker.MASK)) {
          doc.set(path, s);
          typed.put(path, s);
        } else if (v != null && !(v instanceof String)) {
          problems.add(new ConfigProblem(path, "must be text"));
        } else if (keepTyped.contains(path) && pending.containsKey(path)) {
          doc.set(path, pending.get(path));
          typed.put(path, pending.get(path));
        }
        continue;
      }
      if (!values.containsKey(path)) continue;
      Object given = values.getValue(path);
      if (given instanceof String s) given = s.isBlank() ? null : ConfigLoader.coerce(key, s);
      if (given instanceof JsonArray list) given = list.stream().filter(x -> !(x instanceof String s && s.isBlank())).toList();
      if (given instanceof String s && s.contains(ConfigMasker.MASK)) {
        problems.add(new ConfigProblem(path, "holds the placeholder of a secret, but this key is not a secret"));
        continue;
      }
      Object inFile = ConfigLoader.at(file, path);
      // an empty choice list is saved as such (and refused by the validator), not taken for "the default"
      if (given == null) {
        if (inFile != null) doc.remove(path);
        continue;
      }
      if (ConfigChanges.same(given, ConfigChanges.valueOrDefault(file, key))) continue;
      doc.set(path, given);
    }
    if (body.getValue("webhooks") instanceof JsonArray hooks) setWebhooks(doc, file, hooks, typed, problems);
    return new Draft(doc, problems, typed);
  }

  /** The form's webhooks: each URL write-only, an existing one kept by its index when left blank. */
  private static void setWebhooks(ConfigText.Doc doc, JsonObject file, JsonArray hooks, Map<String, String> typed, List<ConfigProblem> problems) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < hooks.size(); i++) {
      if (!(hooks.getValue(i) instanceof JsonObject hook) || hook.getBoolean("remove", false)) continue;
      String url = hook.getValue("url") instanceof String s && !s.isBlank() ? s.trim() : null;
      if (url != null && url.contains(ConfigMasker.MASK)) url = null;
      if (url != null) typed.put("notifications.webhooks[" + out.size() + "].url", url);
      Integer index = hook.getValue("index") instanceof Number n ? n.intValue() : null;
      if (url == null && index != null) url = doc.scalar("notifications.webhooks[" + index + "].url");
      if (url == null) {
        if (index != null) problems.add(new ConfigProblem("notifications.webhooks[" + index + "].url", "no URL is stored for this webhook: type one"));
        continue;
      }
      Map<String, Object> entry = new java.util.LinkedHashMap<>();
      entry.put("url", url);
      entry.put("format", hook.getString("format", "json"));
      if (hook.getValue("events") instanceof JsonArray events) {
        List<Object> list = events.stream().filter(x -> !(x instanceof String s && s.isBlank())).toList();
        if (!list.isEmpty()) entry.put("events", list);
      }
      out.add(entry);
    }
    Object before = ConfigLoader.at(file, "notifications.webhooks");
    if (out.isEmpty() && before == null) return;
    if (before != null && new JsonArray(new ArrayList<>(out)).encode().equals(((JsonArray) before).encode())) return;
    doc.set("notifications.webhooks", out);
  }


  static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    if (array != null) array.forEach(v -> out.add(String.valueOf(v)));
    return out;
  }
}
