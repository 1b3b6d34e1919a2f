package io.github.anilistmalsync.config;

import java.util.List;
import java.util.Locale;

/**
 * One key of config.yaml: its dotted path, what kind of value it takes, its default, whether it is a secret
 * (never printed, logged, or sent to a browser) and, for choices, the allowed values.
 */
public record ConfigKey(String path, Kind kind, Object defaultValue, boolean secret, boolean required, List<String> allowed, String help) {

  /** The kinds of value a key can hold; each has its own validation. */
  public enum Kind { STRING, URL, PORT, POSITIVE_INT, NON_NEGATIVE_INT, POSITIVE_NUMBER, BOOLEAN, CHOICE, CHOICE_LIST, PATH, LIST }

  public ConfigKey {
    allowed = allowed == null ? List.of() : List.copyOf(allowed);
  }

  /**
   * The environment variable that sets this key: the path in upper case with dots as underscores, and
   * {@code MAL_} standing for {@code MYANIMELIST_} (so {@code myanimelist.client_id} is {@code MAL_CLIENT_ID}).
   */
  public String envVar() {
    String env = path.toUpperCase(Locale.ROOT).replace('.', '_');
    return env.startsWith("MYANIMELIST_") ? "MAL_" + env.substring("MYANIMELIST_".length()) : env;
  }
}
