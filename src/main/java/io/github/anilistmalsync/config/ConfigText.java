package io.github.anilistmalsync.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * config.yaml as a YAML node tree, read and edited by key path, never by position in a text. Pure: no I/O.
 *
 * <p>Only plain YAML is accepted for editing: one document, a mapping at the top, plain names as keys, no key twice,
 * and no anchors ({@code &a}), aliases ({@code *a}), merge keys ({@code <<}) or explicit tags ({@code !!str}). Those
 * are the constructs that let one value stand in two places, which is how a secret could be copied into a key that
 * is shown; a text using them is refused with the line it is on, so every value in an accepted tree has exactly one
 * path. Comments are kept through an edit (SnakeYAML's comment processing); the layout is SnakeYAML's.
 *
 * <p>Paths name mappings with dots and list items with an index: {@code anilist.client_secret},
 * {@code notifications.webhooks[0].url}. The old top-level section {@code mal:} is read as {@code myanimelist}.
 */
public final class ConfigText {
  /** How a secret the user typed into a save that was refused is shown: the server keeps it by path until the next save. */
  public static final String MASK_TYPED = ConfigMasker.MASK + " (typed, not saved yet)";

  private ConfigText() {}

  /** A text read for editing: its tree, or the one thing that stops it being edited (with its line and column, 1-based). */
  public record Parsed(Doc doc, String problem, int line, int column) {
    public boolean ok() {
      return doc != null;
    }

    /** The problem as the editor reports it: what and where, never the text of the line. */
    public ConfigProblem asProblem() {
      return new ConfigProblem("config", line > 0 ? problem + " (line " + line + ", column " + column + ")" : problem);
    }

    static Parsed refused(String problem, Mark mark) {
      return mark == null ? new Parsed(null, problem, 0, 0) : new Parsed(null, problem, mark.getLine() + 1, mark.getColumn() + 1);
    }
  }

  /** A scalar of the tree with its path. */
  public record Leaf(String path, String value) {}

  /** Reads a text for editing; see the class comment for what is refused. */
  public static Parsed parse(String text) {
    try {
      Parsed tricks = refusedConstructs(text);
      if (tricks != null) return tricks;
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String what = e.getProblem() != null ? e.getProblem() : "unreadable";
      return Parsed.refused("not valid YAML: " + what, mark);
    } catch (RuntimeException e) {
      return Parsed.refused("not valid YAML", null);
    }
    Node root;
    try {
      root = yaml(true).compose(new StringReader(text));
    } catch (RuntimeException e) {
      // SnakeYAML's comment handling can trip on a comment where it expects none; the values still read without it
      try {
        root = yaml(false).compose(new StringReader(text));
      } catch (MarkedYAMLException again) {
        Mark mark = again.getProblemMark() != null ? again.getProblemMark() : again.getContextMark();
        return Parsed.refused("not valid YAML: " + (again.getProblem() != null ? again.getProblem() : "unreadable"), mark);
      } catch (RuntimeException again) {
        return Parsed.refused("not valid YAML", null);
      }
    }
    if (root == null) root = new MappingNode(Tag.MAP, new ArrayList<>(), DumperOptions.FlowStyle.BLOCK);
    if (!(root instanceof MappingNode mapping)) {
      return Parsed.refused("the file must be a mapping of keys, like the example", root.getStartMark());
    }
    Parsed keys = checkKeys(mapping);
    if (keys != null) return keys;
    Doc doc = new Doc(mapping, false);
    if (!roundTrips(doc, text)) {
      // a comment SnakeYAML cannot write back where it read it: keep the values, drop the comments
      doc = new Doc((MappingNode) yaml(false).compose(new StringReader(text)), true);
    }
    return new Parsed(doc, null, 0, 0);
  }

  /** Whether a tree read with its comments writes back to text holding the same values. */
  private static boolean roundTrips(Doc doc, String text) {
    try {
      Object before = yaml(false).load(text);
      Object after = yaml(false).load(doc.text());
      return java.util.Objects.equals(before == null ? Map.of() : before, after == null ? Map.of() : after);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Anchors, aliases, explicit tags and extra documents, found in the event stream (where each has its mark). */
  private static Parsed refusedConstructs(String text) {
    int documents = 0;
    for (Event event : yaml(false).parse(new StringReader(text))) {
      if (event instanceof DocumentStartEvent && ++documents > 1) {
        return Parsed.refused("holds several YAML documents (---): keep one", event.getStartMark());
      }
      if (event instanceof AliasEvent) {
        return Parsed.refused("uses a YAML alias (*name): write the value out instead", event.getStartMark());
      }
      if (event instanceof NodeEvent node && node.getAnchor() != null) {
        return Parsed.refused("uses a YAML anchor (&name): write each value out instead", event.getStartMark());
      }
      String tag = event instanceof ScalarEvent s ? s.getTag() : event instanceof CollectionStartEvent c ? c.getTag() : null;
      if (tag != null) return Parsed.refused("uses an explicit YAML tag (!...): remove it", event.getStartMark());
    }
    return null;
  }

  private static Parsed checkKeys(MappingNode mapping) {
    Map<String, Node> seen = new HashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
        return Parsed.refused("a key is not a plain name", tuple.getKeyNode().getStartMark());
      }
      if (key.getValue().equals("<<")) {
        return Parsed.refused("uses a YAML merge key (<<): write the keys out instead", key.getStartMark());
      }
      Node before = seen.put(key.getValue(), key);
      if (before != null) {
        return Parsed.refused("the key " + key.getValue() + " appears twice in one section (first on line "
            + (before.getStartMark().getLine() + 1) + "): keep one", key.getStartMark());
      }
      Parsed inner = checkNode(tuple.getValueNode());
      if (inner != null) return inner;
    }
    return null;
  }

  private static Parsed checkNode(Node node) {
    if (node instanceof MappingNode m) return checkKeys(m);
    if (node instanceof SequenceNode s) {
      for (Node item : s.getValue()) {
        Parsed inner = checkNode(item);
        if (inner != null) return inner;
      }
    }
    return null;
  }

  private static Yaml yaml(boolean comments) {
    LoaderOptions load = new LoaderOptions();
    load.setProcessComments(comments);
    load.setAllowDuplicateKeys(false);
    DumperOptions dump = new DumperOptions();
    dump.setProcessComments(comments);
    dump.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    dump.setIndent(2);
    dump.setWidth(4096);
    return new Yaml(new SafeConstructor(load), new Representer(dump), dump, load);
  }

  /** The tree of one config text; every change is by path. Not thread-safe: one per request. */
  public static final class Doc {
    private final MappingNode root;
    private final boolean commentsDropped;

    Doc(MappingNode root, boolean commentsDropped) {
      this.root = root == null ? new MappingNode(Tag.MAP, new ArrayList<>(), DumperOptions.FlowStyle.BLOCK) : root;
      this.commentsDropped = commentsDropped;
    }

    /** True when the text's comments could not be kept (SnakeYAML cannot write some of them back). */
    public boolean commentsDropped() {
      return commentsDropped;
    }

    /** Every scalar in the tree (keys excepted) with its path, in document order. */
    public List<Leaf> leaves() {
      List<Leaf> out = new ArrayList<>();
      walk((path, node, replace) -> out.add(new Leaf(path, node.getValue())));
      return out;
    }

    /** The scalar at a path, or null when there is none (absent, or a list or mapping there). */
    public String scalar(String path) {
      for (Leaf leaf : leaves()) {
        if (leaf.path().equals(path)) return leaf.value();
      }
      return null;
    }

    /** Replaces the scalars whose path passes {@code which} by what {@code to} answers for them (null: leave it). */
    public void replaceScalars(java.util.function.BiFunction<String, String, String> to) {
      walk((path, node, replace) -> {
        String next = to.apply(path, node.getValue());
        if (next != null && !next.equals(node.getValue())) {
          ScalarNode fresh = stringNode(next);
          fresh.setInLineComments(node.getInLineComments());
          fresh.setBlockComments(node.getBlockComments());
          fresh.setEndComments(node.getEndComments());
          replace.accept(fresh);
        }
      });
    }

    /** Sets a dotted schema path (no list indices) to a value, creating its sections as needed. */
    public void set(String path, Object value) {
      String[] parts = path.split("\\.");
      MappingNode node = root;
      for (int i = 0; i < parts.length - 1; i++) {
        String name = i == 0 ? sectionName(parts[0]) : parts[i];
        NodeTuple tuple = tuple(node, name);
        if (tuple == null || !(tuple.getValueNode() instanceof MappingNode child)) {
          MappingNode child = new MappingNode(Tag.MAP, new ArrayList<>(), node.getFlowStyle());
          put(node, name, child);
          node = child;
        } else {
          node = child;
        }
      }
      String last = parts.length == 1 ? sectionName(parts[0]) : parts[parts.length - 1];
      put(node, last, node(value));
    }

    /** Removes a dotted schema path from the tree (a section left empty stays). */
    public void remove(String path) {
      String[] parts = path.split("\\.");
      MappingNode node = root;
      for (int i = 0; i < parts.length - 1; i++) {
        NodeTuple tuple = tuple(node, i == 0 ? sectionName(parts[0]) : parts[i]);
        if (tuple == null || !(tuple.getValueNode() instanceof MappingNode child)) return;
        node = child;
      }
      String last = parts.length == 1 ? sectionName(parts[0]) : parts[parts.length - 1];
      node.getValue().removeIf(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(last));
    }

    /** The tree as YAML text, comments kept. */
    public String text() {
      if (root.getValue().isEmpty()) return "";
      StringWriter out = new StringWriter();
      yaml(true).serialize(root, out);
      return out.toString();
    }

    /**
     * The tree's values as JSON ({@code mal:} left as written: the loader reads it). Throws
     * {@link IllegalArgumentException} naming the path of a value JSON cannot hold (a date, binary data).
     */
    public JsonObject json() {
      Object doc = yaml(false).load(text());
      if (doc == null) return new JsonObject();
      return new JsonObject(plain((Map<?, ?>) doc, ""));
    }

    /** The top-level section a schema path's first name is written under: {@code mal} when the file uses the old name. */
    private String sectionName(String first) {
      if (first.equals("myanimelist") && tuple(root, "myanimelist") == null && tuple(root, "mal") != null) return "mal";
      return first;
    }

    private interface Visitor {
      void leaf(String path, ScalarNode node, Consumer<Node> replace);
    }

    private void walk(Visitor visitor) {
      walkMapping(root, "", visitor);
    }

    private static void walkMapping(MappingNode mapping, String prefix, Visitor visitor) {
      List<NodeTuple> tuples = mapping.getValue();
      for (int i = 0; i < tuples.size(); i++) {
        NodeTuple tuple = tuples.get(i);
        String name = ((ScalarNode) tuple.getKeyNode()).getValue();
        if (prefix.isEmpty() && name.equals("mal")) name = "myanimelist";
        int at = i;
        Node key = tuple.getKeyNode();
        walkNode(tuple.getValueNode(), prefix.isEmpty() ? name : prefix + "." + name, visitor,
            fresh -> tuples.set(at, new NodeTuple(key, fresh)));
      }
    }

    private static void walkNode(Node node, String path, Visitor visitor, Consumer<Node> replace) {
      if (node instanceof ScalarNode scalar) {
        visitor.leaf(path, scalar, replace);
      } else if (node instanceof MappingNode mapping) {
        walkMapping(mapping, path, visitor);
      } else if (node instanceof SequenceNode sequence) {
        List<Node> items = sequence.getValue();
        for (int i = 0; i < items.size(); i++) {
          int at = i;
          walkNode(items.get(i), path + "[" + i + "]", visitor, fresh -> items.set(at, fresh));
        }
      }
    }
  }

  private static NodeTuple tuple(MappingNode node, String name) {
    for (NodeTuple t : node.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(name)) return t;
    }
    return null;
  }

  private static void put(MappingNode node, String name, Node value) {
    List<NodeTuple> tuples = node.getValue();
    for (int i = 0; i < tuples.size(); i++) {
      if (tuples.get(i).getKeyNode() instanceof ScalarNode k && k.getValue().equals(name)) {
        Node old = tuples.get(i).getValueNode();
        value.setInLineComments(old.getInLineComments());
        tuples.set(i, new NodeTuple(tuples.get(i).getKeyNode(), value));
        return;
      }
    }
    tuples.add(new NodeTuple(new ScalarNode(Tag.STR, name, null, null, DumperOptions.ScalarStyle.PLAIN), value));
  }

  private static ScalarNode stringNode(String value) {
    return new ScalarNode(Tag.STR, value, null, null, DumperOptions.ScalarStyle.DOUBLE_QUOTED);
  }

  /** A value as a node: text always quoted (so "true" or "0123" stay text), lists of scalars in flow style. */
  static Node node(Object value) {
    if (value instanceof JsonObject o) value = o.getMap();
    if (value instanceof JsonArray a) value = a.getList();
    if (value == null) return new ScalarNode(Tag.NULL, "null", null, null, DumperOptions.ScalarStyle.PLAIN);
    if (value instanceof String s) return stringNode(s);
    if (value instanceof Boolean b) return new ScalarNode(Tag.BOOL, b.toString(), null, null, DumperOptions.ScalarStyle.PLAIN);
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      return new ScalarNode(Tag.INT, value.toString(), null, null, DumperOptions.ScalarStyle.PLAIN);
    }
    if (value instanceof Number n) return new ScalarNode(Tag.FLOAT, String.valueOf(n.doubleValue()), null, null, DumperOptions.ScalarStyle.PLAIN);
    if (value instanceof List<?> list) {
      List<Node> items = new ArrayList<>();
      boolean scalars = true;
      for (Object item : list) {
        Node n = node(item);
        scalars &= n instanceof ScalarNode;
        items.add(n);
      }
      return new SequenceNode(Tag.SEQ, items, scalars ? DumperOptions.FlowStyle.FLOW : DumperOptions.FlowStyle.BLOCK);
    }
    if (value instanceof Map<?, ?> map) {
      List<NodeTuple> tuples = new ArrayList<>();
      map.forEach((k, v) -> tuples.add(new NodeTuple(
          new ScalarNode(Tag.STR, String.valueOf(k), null, null, DumperOptions.ScalarStyle.PLAIN), node(v))));
      return new MappingNode(Tag.MAP, tuples, DumperOptions.FlowStyle.BLOCK);
    }
    return stringNode(String.valueOf(value));
  }

  private static Map<String, Object> plain(Map<?, ?> map, String prefix) {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> {
      String path = prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k;
      out.put(String.valueOf(k), plainValue(v, path));
    });
    return out;
  }

  private static Object plainValue(Object v, String path) {
    if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) return v;
    if (v instanceof Map<?, ?> m) return plain(m, path);
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) out.add(plainValue(list.get(i), path + "[" + i + "]"));
      return out;
    }
    throw new IllegalArgumentException(path);
  }
}
