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

  /**
   * Whether a tree path ({@code anilist.client_secret}, {@code notifications.webhooks[0].url}) holds a secret: a
   * secret key, anything under one, and everything of a webhook but its {@code format} and {@code events} (its URL
   * carries a token, and a field the validator does not know may too).
   */
  public static boolean isSecretPath(String path) {
    if (path.startsWith("notifications.webhooks")) {
      return !path.matches("notifications\\.webhooks\\[\\d+]\\.(format|events(\\[\\d+])?)");
    }
    for (ConfigKey key : ConfigSchema.secrets()) {
      String k = key.path();
      if (path.equals(k) || path.startsWith(k + ".") || path.startsWith(k + "[")) return true;
    }
    return false;
  }

  /**
   * Problems made safe to show: one on a secret path, or whose text holds any of {@code secretValues} (3 characters
   * or more), keeps its key but loses its message; a key that holds a secret value becomes {@code config}. The
   * validator already words secrets as "the value"; this holds even for a message that did not.
   */
  public static List<ConfigProblem> redact(List<ConfigProblem> problems, java.util.Collection<String> secretValues) {
    List<ConfigProblem> out = new ArrayList<>();
    for (ConfigProblem p : problems) {
      boolean keyLeaks = containsAny(p.key(), secretValues);
      boolean messageLeaks = containsAny(p.message(), secretValues);
      String key = keyLeaks ? "config" : p.key();
      if (messageLeaks || keyLeaks) {
        out.add(new ConfigProblem(key, "a value here is not valid (not shown: it is, or holds, a secret's value)"));
      } else if (isSecretPath(p.key()) && !p.message().startsWith("missing") && !p.message().startsWith("the value")
          && !p.message().startsWith("still the placeholder") && !p.message().startsWith("must be")
          && !p.message().startsWith("entry ") && !p.message().startsWith("shows the mask") && !p.message().startsWith("holds the placeholder")
          && !p.message().startsWith("the value typed earlier")) {
        out.add(new ConfigProblem(key, "the value is not valid (not shown: this key is a secret)"));
      } else {
        out.add(p);
      }
    }
    return out;
  }

  private static boolean containsAny(String text, java.util.Collection<String> values) {
    if (text == null) return false;
    for (String v : values) {
      if (v != null && v.length() >= 3 && text.contains(v)) return true;
    }
    return false;
  }

  public static String redact(String text, AppConfig config) {
    String out = text;
    for (String secret : secretValues(config)) out = out.replace(secret, MASK);
    return out;
  }
}
