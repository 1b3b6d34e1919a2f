package io.github.anilistmalsync.config;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  // ---- the raw view ------------------------------------------------------------------------------------------

  /**
   * The text for the raw view: every secret scalar (by path, {@link ConfigMasker#isSecretPath}) replaced by
   * {@link #MASK}, or by {@link ConfigText#MASK_TYPED} where {@code typed} holds a value for its path. Then every
   * known secret value is cut out of what is left (a comment may hold one). Null when the text cannot be parsed for
   * editing: show {@link #maskedLines} then.
   */
  public static String maskedView(String text, Map<String, String> typed, Collection<String> secretValues) {
    ConfigText.Parsed parsed = ConfigText.parse(text);
    if (!parsed.ok()) return null;
    parsed.doc().replaceScalars((path, value) -> {
      if (!isSecretPath(path) || value.isEmpty()) return null;
      if (value.equals(MASK) || value.equals(ConfigText.MASK_TYPED)) return null;
      return typed.containsKey(path) ? ConfigText.MASK_TYPED : MASK;
    });
    return scrub(parsed.doc().text(), secretValues);
  }

  /** Names whose value on a line of an unreadable file is hidden: every secret key's last name, and webhook keys. */
  private static final Pattern SECRET_NAME = Pattern.compile(
      "(?<![A-Za-z0-9_])(" + String.join("|", secretNames()) + ")(?![A-Za-z0-9_])", Pattern.CASE_INSENSITIVE);

  private static List<String> secretNames() {
    List<String> names = new ArrayList<>();
    for (ConfigKey key : ConfigSchema.secrets()) {
      String last = key.path().substring(key.path().lastIndexOf('.') + 1);
      if (!names.contains(last)) names.add(last);
    }
    names.add("url");
    return names;
  }

  /**
   * A text that is not valid YAML, made safe to show: on any line naming a secret key (anywhere on it, so flow
   * mappings count) everything after the name is replaced by the mask, and so are the lines that continue it (more
   * indented, or inside a quote it opens); then every known secret value is cut out. The line numbers stay as in the
   * file, so the parser's line and column still point at the right place.
   */
  public static String maskedLines(String text, Collection<String> secretValues) {
    List<String> lines = text.lines().toList();
    StringBuilder out = new StringBuilder();
    int maskedIndent = -1;
    char openQuote = 0;
    for (String line : lines) {
      int indent = indentOf(line);
      boolean blank = line.isBlank();
      if (openQuote != 0) {
        out.append(" ".repeat(indent)).append(MASK).append('\n');
        if (line.indexOf(openQuote) >= 0) openQuote = 0;
        continue;
      }
      if (maskedIndent >= 0 && (blank || indent > maskedIndent)) {
        out.append(blank ? "" : " ".repeat(indent) + MASK).append('\n');
        continue;
      }
      maskedIndent = -1;
      Matcher m = SECRET_NAME.matcher(line);
      if (m.find()) {
        String rest = line.substring(m.end());
        out.append(line, 0, m.end()).append(": ").append(MASK).append('\n');
        maskedIndent = indent;
        String value = rest.replaceFirst("^\\s*:?\\s*", "");
        if (value.startsWith("\"") || value.startsWith("'")) {
          char q = value.charAt(0);
          if (value.indexOf(q, 1) < 0) openQuote = q;
        }
        continue;
      }
      out.append(line).append('\n');
    }
    return scrub(out.toString(), secretValues);
  }

  private static int indentOf(String line) {
    int i = 0;
    while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) i++;
    return i;
  }

  /**
   * The values at secret paths of a text read the permissive way (aliases and merge keys resolved, every document),
   * so that what an unsafe text holds can still be cut out of what is shown of it. Empty when it does not parse.
   */
  public static List<String> secretValuesLoosely(String text) {
    List<String> out = new ArrayList<>();
    try {
      for (Object doc : new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(new org.yaml.snakeyaml.LoaderOptions())).loadAll(text)) collectSecrets(doc, "", out);
    } catch (RuntimeException e) {
      // nothing more can be read from it
    }
    return out;
  }

  private static void collectSecrets(Object node, String path, List<String> out) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> {
        String name = path.isEmpty() && "mal".equals(String.valueOf(k)) ? "myanimelist" : String.valueOf(k);
        collectSecrets(v, path.isEmpty() ? name : path + "." + name, out);
      });
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) collectSecrets(list.get(i), path + "[" + i + "]", out);
    } else if (node != null && isSecretPath(path)) {
      out.add(String.valueOf(node));
    }
  }

  /** Every secret value of 3 characters or more replaced by the mask, longest first. */
  static String scrub(String text, Collection<String> secretValues) {
    List<String> values = new ArrayList<>(secretValues.stream().filter(v -> v != null && v.length() >= 3).distinct().toList());
    values.sort((a, b) -> b.length() - a.length());
    String out = text;
    for (String v : values) out = out.replace(v, MASK);
    return out;
  }
}
