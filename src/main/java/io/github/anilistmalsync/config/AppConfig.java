package io.github.anilistmalsync.config;

import io.github.anilistmalsync.model.MediaType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The validated config as typed values. It wraps the normalised JSON (nested objects, every key of
 * {@link ConfigSchema} present with its value or default) that travels between verticles as their deployment
 * config and on {@code config.changed}. {@code dataDir} is where everything the service writes lives.
 */
public record AppConfig(JsonObject json) {

  /** The key under which the data dir travels with the config JSON. */
  public static final String DATA_DIR = "data_dir";
  /** Present (true) when the service runs on the in-process fake servers. */
  public static final String DEMO = "demo";
  /**
   * Values that sit above the file and survive every reload, in the config's own shape: demo mode points the
   * service at its fake servers this way.
   */
  public static final String OVERRIDES = "overrides";
  /** True when the dashboard runs (it then serves the web port's sign-in); absent or false for auth, --once, --no-web-ui. */
  public static final String WEB_UI = "web_ui";
  /** Keys the launch sets, not the file: a reload carries them over from the config in force. */
  private static final List<String> LAUNCH_KEYS = List.of(DATA_DIR, DEMO, WEB_UI);

  public static AppConfig of(JsonObject json) {
    return new AppConfig(json);
  }

  /**
   * The config a reload puts in force: {@code next} (resolved from the file, or as published on config.changed) with
   * this config's overrides and launch keys laid over it. The one place they are carried across a reload.
   */
  public AppConfig reloaded(JsonObject next) {
    JsonObject merged = next.copy();
    JsonObject overrides = json.getJsonObject(OVERRIDES);
    if (overrides != null) merged.mergeIn(overrides, true).put(OVERRIDES, overrides);
    for (String key : LAUNCH_KEYS) {
      if (json.containsKey(key)) merged.put(key, json.getValue(key));
    }
    return AppConfig.of(merged);
  }

  /** Reads a dotted path, falling back to the schema's default. */
  public Object get(String path) {
    Object node = json;
    for (String part : path.split("\\.")) {
      if (!(node instanceof JsonObject obj)) {
        node = null;
        break;
      }
      node = obj.getValue(part);
    }
    if (node == null) {
      return ConfigSchema.key(path).map(ConfigKey::defaultValue).orElse(null);
    }
    return node;
  }

  public String string(String path) {
    Object v = get(path);
    return v == null ? null : String.valueOf(v);
  }

  public int integer(String path) {
    Object v = get(path);
    return v instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(v));
  }

  public double number(String path) {
    Object v = get(path);
    return v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v));
  }

  public boolean bool(String path) {
    Object v = get(path);
    return v instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(v));
  }

  public Path dataDir() {
    return Path.of(json.getString(DATA_DIR, "data"));
  }

  /** A configured path, resolved against the data dir when relative. */
  public Path dataPath(String path) {
    return dataDir().resolve(string(path));
  }

  public boolean demo() {
    return json.getBoolean(DEMO, false);
  }

  public String mode() {
    return string("sync.mode");
  }

  public boolean dryRun() {
    return bool("sync.dry_run");
  }

  public List<MediaType> types() {
    Object v = get("sync.types");
    List<MediaType> types = new ArrayList<>();
    Iterable<?> items = v instanceof JsonArray a ? a : v instanceof List<?> l ? l : List.of(String.valueOf(v));
    for (Object item : items) {
      types.add(MediaType.parse(String.valueOf(item)));
    }
    return types;
  }

  /** Minutes between scheduled syncs of that type. */
  public int intervalMinutes(MediaType type) {
    Object perType = get("sync." + type.word() + ".interval");
    return perType instanceof Number n ? n.intValue() : integer("sync.interval");
  }

  public boolean fieldEnabled(String field) {
    return bool("sync.fields." + field);
  }

  public Path tokenFile() {
    return dataPath("token_file_path");
  }
}
