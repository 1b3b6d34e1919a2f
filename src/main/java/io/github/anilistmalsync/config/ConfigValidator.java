package io.github.anilistmalsync.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a config against {@link ConfigSchema} and reports every problem at once, each with its key and a plain
 * reason: missing, still a placeholder, not an allowed value, not a URL, out of range, an unknown key (with the
 * closest known one, so a typo is never silently ignored). A secret's value never appears in a message.
 */
public final class ConfigValidator {
  private ConfigValidator() {}

  /** Problems with the keys the user wrote: every dotted path that the schema does not know. */
  public static List<ConfigProblem> unknownKeys(JsonObject fileJson) {
    List<ConfigProblem> problems = new ArrayList<>();
    collectUnknown("", fileJson, problems);
    return problems;
  }

  private static void collectUnknown(String prefix, JsonObject node, List<ConfigProblem> problems) {
    for (Map.Entry<String, Object> e : node) {
      String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (ConfigSchema.key(path).isPresent()) continue;
      if (e.getValue() instanceof JsonObject child && isPrefixOfKnownKey(path)) {
        collectUnknown(path, child, problems);
        continue;
      }
      String closest = closestKey(path);
      problems.add(new ConfigProblem(path, "unknown key" + (closest == null ? "" : " (did you mean " + closest + "?)")));
    }
  }

  private static boolean isPrefixOfKnownKey(String path) {
    return ConfigSchema.keys().stream().anyMatch(k -> k.path().startsWith(path + "."));
  }

  /** The known key nearest to {@code path} by edit distance, if it is near enough to be a typo. */
  static String closestKey(String path) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (ConfigKey key : ConfigSchema.keys()) {
      int d = distance(path.toLowerCase(Locale.ROOT), key.path());
      if (d < bestDistance) {
        bestDistance = d;
        best = key.path();
      }
    }
    return bestDistance <= Math.max(3, path.length() / 3) ? best : null;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** Problems with the values of a normalised config (every key present, defaults filled in). */
  public static List<ConfigProblem> values(AppConfig config) {
    List<ConfigProblem> problems = new ArrayList<>();
    for (ConfigKey key : ConfigSchema.keys()) {
      Object value = config.get(key.path());
      String problem = check(key, value);
      if (problem == null && key.kind() == ConfigKey.Kind.PATH && value instanceof String path && !path.isBlank()) {
        problem = insideDataDir(config.dataDir(), path);
      }
      if (problem != null) problems.add(new ConfigProblem(key.path(), problem));
    }
    return problems;
  }

  /**
   * A path key must name a file inside the data directory (which is private): a path that climbs out of it, an
   * absolute path elsewhere, or one that leads out through a symbolic link could put a token where a web server, or
   * another user, reads it. Answers the problem, or null.
   */
  static String insideDataDir(Path dataDir, String value) {
    Path data = dataDir.toAbsolutePath().normalize();
    Path target;
    try {
      target = data.resolve(value).normalize();
    } catch (InvalidPathException e) {
      return "'" + value + "' is not a valid file path";
    }
    String outside = "'" + value + "' is outside the data directory " + data + ": give a file name inside it, "
        + "e.g. tokens.json";
    if (!target.startsWith(data) || target.equals(data)) {
      return outside;
    }
    // symbolic links: where the deepest part that exists really is decides where the file will be
    try {
      Path existing = target;
      while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
        existing = existing.getParent();
      }
      if (existing == null || !Files.exists(data)) {
        return null;
      }
      Path real = existing.toRealPath().resolve(existing.relativize(target)).normalize();
      return real.startsWith(data.toRealPath()) ? null
          : "'" + value + "' leads out of the data directory " + data + " through a symbolic link";
    } catch (IOException e) {
      return "'" + value + "' leads to a symbolic link that points nowhere: give a plain file name inside the data "
          + "directory";
    }
  }

  private static String check(ConfigKey key, Object value) {
    boolean blank = value == null || (value instanceof String s && s.isBlank());
    if (blank) return key.required() ? "missing: set it in the config file or with " + key.envVar() : null;
    String shown = key.secret() ? "the value" : "'" + value + "'";
    return switch (key.kind()) {
      case STRING, PATH -> {
        if (!(value instanceof String s)) yield "must be text";
        if (s.startsWith("YOUR_")) yield "still the placeholder from the example: replace it with your own value";
        yield null;
      }
      case URL -> {
        try {
          URI uri = new URI(String.valueOf(value));
          boolean ok = ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
          yield ok ? null : shown + " is not an http(s) URL";
        } catch (Exception e) {
          yield shown + " is not an http(s) URL";
        }
      }
      case PORT -> {
        Integer n = integer(value);
        if (n == null) yield shown + " is not a whole number";
        yield n < 1 || n > 65535 ? "port " + n + " is out of range (1-65535)" : null;
      }
      case POSITIVE_INT -> {
        Integer n = integer(value);
        if (n == null) yield shown + " is not a whole number";
        yield n <= 0 ? "must be greater than 0 (it is " + n + ")" : null;
      }
      case NON_NEGATIVE_INT -> {
        Integer n = integer(value);
        if (n == null) yield shown + " is not a whole number";
        if (n < 0) yield "must be 0 or more (it is " + n + ")";
        // live polls: off, or paced so that both services' budgets keep room for full syncs and writes
        yield key.path().equals("sync.live_seconds") && n != 0 && (n < 15 || n > 3600)
            ? "must be 0 (off) or between 15 and 3600 seconds (it is " + n + ")" : null;
      }
      case POSITIVE_NUMBER -> {
        if (!(value instanceof Number n)) yield shown + " is not a number";
        yield n.doubleValue() <= 0 ? "must be greater than 0" : null;
      }
      case BOOLEAN -> value instanceof Boolean ? null : shown + " is not true or false";
      case CHOICE -> key.allowed().contains(String.valueOf(value)) ? null
          : shown + " is not one of the allowed values: " + String.join(", ", key.allowed());
      case CHOICE_LIST -> {
        if (!(value instanceof JsonArray list)) yield "must be a list of: " + String.join(", ", key.allowed());
        for (Object item : list) {
          if (!key.allowed().contains(String.valueOf(item))) {
            yield "'" + item + "' is not one of the allowed values: " + String.join(", ", key.allowed());
          }
        }
        yield list.isEmpty() ? "must name at least one of: " + String.join(", ", key.allowed()) : null;
      }
      case LIST -> checkWebhooks(value);
    };
  }

  private static String checkWebhooks(Object value) {
    if (!(value instanceof JsonArray list)) return "must be a list";
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof JsonObject hook)) return "entry " + (i + 1) + " must be a map with url, format and events";
      String url = hook.getValue("url") instanceof String u ? u : "";
      if (!url.startsWith("http://") && !url.startsWith("https://")) return "entry " + (i + 1) + ": the url is not an http(s) URL";
      Object format = hook.getValue("format") == null ? "json" : hook.getValue("format");
      if (!ConfigSchema.WEBHOOK_FORMATS.contains(String.valueOf(format))) {
        return "entry " + (i + 1) + ": format must be one of " + String.join(", ", ConfigSchema.WEBHOOK_FORMATS);
      }
      Object events = hook.getValue("events");
      if (events != null) {
        if (!(events instanceof JsonArray ev)) return "entry " + (i + 1) + ": events must be a list";
        for (Object e : ev) {
          if (!ConfigSchema.WEBHOOK_EVENTS.contains(String.valueOf(e))) {
            return "entry " + (i + 1) + ": unknown event '" + e + "' (known: " + String.join(", ", ConfigSchema.WEBHOOK_EVENTS.stream().sorted().toList()) + ")";
          }
        }
      }
    }
    return null;
  }

  private static Integer integer(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short) return ((Number) value).intValue();
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return n.intValue();
    return null;
  }
}
