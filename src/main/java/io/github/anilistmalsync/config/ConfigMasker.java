package io.github.anilistmalsync.config;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place secrets are hidden: a config with every set secret replaced by a fixed mask (for pages and API
 * answers), and any text with every secret value cut out (for logs and error messages).
 */
public final class ConfigMasker {
  /** What a set secret looks like to a browser. Saving it back means "unchanged". */
  public static final String MASK = "••••••••";

  private ConfigMasker() {}

  public static JsonObject mask(JsonObject config) {
    JsonObject copy = config.copy();
    for (ConfigKey key : ConfigSchema.secrets()) {
      Object value = ConfigLoader.at(copy, key.path());
      if (value != null && !(value instanceof String s && s.isEmpty())) ConfigLoader.put(copy, key.path(), MASK);
    }
    return copy;
  }

  /** The secret values present in a config, longest first (so a secret inside another is cut out after it). */
  public static List<String> secretValues(AppConfig config) {
    List<String> values = new ArrayList<>();
    for (ConfigKey key : ConfigSchema.secrets()) {
      Object v = ConfigLoader.at(config.json(), key.path());
      if (v instanceof String s && s.length() >= 4) values.add(s);
      if (v instanceof io.vertx.core.json.JsonArray list) {
        list.forEach(item -> {
          if (item instanceof JsonObject hook && hook.getString("url", "").length() >= 4) values.add(hook.getString("url"));
        });
      }
    }
    values.sort((a, b) -> b.length() - a.length());
    return values;
  }

  public static String redact(String text, AppConfig config) {
    String out = text;
    for (String secret : secretValues(config)) out = out.replace(secret, MASK);
    return out;
  }
}
