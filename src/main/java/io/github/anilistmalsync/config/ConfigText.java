package io.github.anilistmalsync.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The config file as text for the editor: secrets replaced by a mask where they stand (comments and layout kept),
 * and put back on save. Pure: no I/O.
 *
 * <p>A secret the user leaves as {@link ConfigMasker#MASK} keeps its value in the file; one typed anew is saved. If a
 * save is rejected, the typed values are not sent back to the browser: they are held server-side
 * ({@code pending}) and shown as {@link #MASK_TYPED}, which the next save turns back into what was typed.
 */
public final class ConfigText {
  /** How a secret the user typed, but that is not saved yet, is shown. */
  public static final String MASK_TYPED = ConfigMasker.MASK + " (typed, not saved yet)";

  private ConfigText() {}

  /** A secret scalar found in the text: its path (e.g. {@code notifications.webhooks[0].url}), value and place. */
  record SecretSpot(String path, String value, int start, int end) {}

  /** The outcome of reading edited text: the text with secrets put back, or what is wrong with it. */
  public record Restored(String text, JsonObject json, List<ConfigProblem> problems) {}

  /**
   * The text with every secret value replaced by the mask. A secret that differs from {@code saved} (typed but not
   * saved) is shown as {@link #MASK_TYPED} and its value put in {@code pending}.
   */
  public static String mask(String text, Map<String, String> saved, Map<String, String> pending) {
    List<SecretSpot> spots;
    try {
      spots = secretSpots(text);
    } catch (RuntimeException e) {
      // unparsable text cannot be masked by position: mask each known secret value wherever it stands
      String out = text;
      for (String value : saved.values()) {
        if (value.length() >= 4) out = out.replace(value, ConfigMasker.MASK);
      }
      return out;
    }
    StringBuilder out = new StringBuilder(text);
    for (int i = spots.size() - 1; i >= 0; i--) {
      SecretSpot spot = spots.get(i);
      if (spot.value().isEmpty() || spot.value().equals(ConfigMasker.MASK) || spot.value().equals(MASK_TYPED)) continue;
      boolean typed = !spot.value().equals(saved.get(spot.path()));
      if (typed) pending.put(spot.path(), spot.value());
      out.replace(spot.start(), spot.end(), quoted(typed ? MASK_TYPED : ConfigMasker.MASK));
    }
    return out.toString();
  }

  /** Every secret value set in a text, by path: what a masked value stands for. Empty for unparsable text. */
  public static Map<String, String> secrets(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    try {
      for (SecretSpot spot : secretSpots(text)) out.put(spot.path(), spot.value());
    } catch (RuntimeException e) {
      // nothing can be read from it
    }
    return out;
  }

  /**
   * Puts the secrets back into edited text: a masked value becomes the saved one ({@code saved}), a
   * {@link #MASK_TYPED} one what was typed before ({@code pending}). Then parses it.
   */
  public static Restored restore(String edited, Map<String, String> saved, Map<String, String> pending) {
    List<SecretSpot> spots;
    try {
      spots = secretSpots(edited);
    } catch (RuntimeException e) {
      return new Restored(null, null, List.of(new ConfigProblem("config", "not valid YAML: " + firstLine(e.getMessage()))));
    }
    List<ConfigProblem> problems = new ArrayList<>();
    StringBuilder out = new StringBuilder(edited);
    for (int i = spots.size() - 1; i >= 0; i--) {
      SecretSpot spot = spots.get(i);
      String value = spot.value();
      String replacement = null;
      if (value.equals(ConfigMasker.MASK)) {
        replacement = saved.get(spot.path());
        if (replacement == null) problems.add(new ConfigProblem(spot.path(), "shows the mask but no value is saved for it: type the value"));
      } else if (value.equals(MASK_TYPED)) {
        replacement = pending.get(spot.path());
        if (replacement == null) problems.add(new ConfigProblem(spot.path(), "the value typed earlier is gone (new session?): type it again"));
      }
      if (replacement != null) out.replace(spot.start(), spot.end(), quoted(replacement));
    }
    if (!problems.isEmpty()) return new Restored(null, null, problems);
    String text = out.toString();
    Object doc;
    try {
      doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    } catch (RuntimeException e) {
      return new Restored(null, null, List.of(new ConfigProblem("config", "not valid YAML: " + firstLine(e.getMessage()))));
    }
    if (doc == null) return new Restored(text, new JsonObject(), List.of());
    if (!(doc instanceof Map<?, ?> map)) {
      return new Restored(null, null, List.of(new ConfigProblem("config", "the file must be a mapping of keys, like the example")));
    }
    try {
      return new Restored(text, new JsonObject(stringKeys(map)), List.of());
    } catch (RuntimeException e) {
      return new Restored(null, null, List.of(new ConfigProblem("config", "holds a value that is not text, a number, a list or a mapping")));
    }
  }

  /**
   * The URL keys whose value differs between two config files (a key left out counts as its default): {key, before,
   * after}. Webhook URLs carry tokens: only their scheme and host are shown.
   */
  public static JsonArray urlChanges(JsonObject beforeFile, JsonObject afterFile) {
    JsonObject before = withMyAnimeList(beforeFile);
    JsonObject after = withMyAnimeList(afterFile);
    JsonArray out = new JsonArray();
    for (ConfigKey key : ConfigSchema.keys()) {
      if (key.kind() != ConfigKey.Kind.URL) continue;
      Object a = valueOrDefault(before, key);
      Object b = valueOrDefault(after, key);
      if (!java.util.Objects.equals(a, b)) out.add(new JsonObject().put("key", key.path()).put("before", a).put("after", b));
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

  private static Object valueOrDefault(JsonObject file, ConfigKey key) {
    Object v = ConfigLoader.at(file, key.path());
    return v == null ? key.defaultValue() : v;
  }

  /** The file with the old {@code mal:} section read as {@code myanimelist:}. */
  private static JsonObject withMyAnimeList(JsonObject file) {
    JsonObject copy = file == null ? new JsonObject() : file.copy();
    if (copy.containsKey("mal") && !copy.containsKey("myanimelist")) copy.put("myanimelist", copy.remove("mal"));
    return copy;
  }

  private static List<String> webhookUrls(JsonObject file) {
    List<String> out = new ArrayList<>();
    Object hooks = ConfigLoader.at(file, "notifications.webhooks");
    if (hooks instanceof JsonArray list) {
      for (Object h : list) {
        // JsonArray's iterator hands nested maps out as JsonObjects
        Object url = h instanceof JsonObject o ? o.getValue("url") : null;
        out.add(url == null ? null : String.valueOf(url));
      }
    }
    return out;
  }

  /** Scheme and host of a URL, with the rest (where tokens live) cut off. */
  static String origin(String url) {
    if (url == null) return null;
    try {
      java.net.URI uri = java.net.URI.create(url);
      return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + "/…";
    } catch (RuntimeException e) {
      return "(not a URL)";
    }
  }

  // ---- finding secrets in the YAML --------------------------------------------------------------------------

  /** The secret scalars of a YAML text, in text order. Throws on text that is not YAML. */
  static List<SecretSpot> secretSpots(String text) {
    Node root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
    List<SecretSpot> out = new ArrayList<>();
    if (root instanceof MappingNode mapping) walk(text, mapping, "", out);
    out.sort((a, b) -> Integer.compare(a.start(), b.start()));
    return out;
  }

  private static void walk(String text, MappingNode node, String prefix, List<SecretSpot> out) {
    for (NodeTuple tuple : node.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) continue;
      String name = keyNode.getValue();
      if (prefix.isEmpty() && name.equals("mal")) name = "myanimelist";
      String path = prefix.isEmpty() ? name : prefix + "." + name;
      Node value = tuple.getValueNode();
      if (value instanceof MappingNode child) {
        walk(text, child, path, out);
      } else if (value instanceof ScalarNode scalar && isSecret(path)) {
        out.add(spot(text, path, scalar));
      } else if (value instanceof SequenceNode list && path.equals("notifications.webhooks")) {
        for (int i = 0; i < list.getValue().size(); i++) {
          if (!(list.getValue().get(i) instanceof MappingNode hook)) continue;
          for (NodeTuple field : hook.getValue()) {
            if (field.getKeyNode() instanceof ScalarNode k && k.getValue().equals("url") && field.getValueNode() instanceof ScalarNode url) {
              out.add(spot(text, path + "[" + i + "].url", url));
            }
          }
        }
      }
    }
  }

  private static boolean isSecret(String path) {
    return ConfigSchema.secrets().stream().anyMatch(k -> k.path().equals(path) && k.kind() != ConfigKey.Kind.LIST);
  }

  /** SnakeYAML counts code points; Java strings count UTF-16 units. */
  private static SecretSpot spot(String text, String path, ScalarNode scalar) {
    int start = text.offsetByCodePoints(0, scalar.getStartMark().getIndex());
    int end = text.offsetByCodePoints(0, scalar.getEndMark().getIndex());
    return new SecretSpot(path, scalar.getValue(), start, end);
  }

  /** A YAML double-quoted scalar: JSON's string escapes are valid in it. */
  private static String quoted(String value) {
    return new JsonArray().add(value).encode().replaceAll("^\\[|]$", "");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> stringKeys(Map<?, ?> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), v instanceof Map<?, ?> m ? stringKeys(m) : v));
    return out;
  }

  private static String firstLine(String message) {
    return message == null ? "unreadable" : message.lines().findFirst().orElse("unreadable");
  }
}
