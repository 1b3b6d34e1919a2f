package io.github.anilistmalsync.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import io.github.anilistmalsync.files.AtomicFiles;
import io.vertx.config.yaml.YamlProcessor;
import java.nio.file.Files;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Turns the config sources into one validated config. Precedence: a flag the user typed, then the key's
 * environment variable (unless empty), then the file, then the default. The file is parsed with vertx-config's YAML processor (and
 * read again by {@link ConfigWatcher} for edits); {@code mal:} is accepted for {@code myanimelist:}, as the tool
 * this replaces did.
 */
public final class ConfigLoader {
  /** How often the file is checked for edits: an edit is in force within two seconds. */
  public static final long SCAN_PERIOD_MS = 1_000;

  /** Where the config comes from. {@code flags} holds only the flags the user typed, in the config's shape. */
  public record Sources(Path file, Path dataDir, JsonObject flags, Map<String, String> env) {
    public Sources {
      flags = flags == null ? new JsonObject() : flags;
      env = env == null ? Map.of() : Map.copyOf(env);
    }
  }

  /** A config, or what is wrong with it (then {@code config} is null). */
  public record Result(AppConfig config, List<ConfigProblem> problems) {
    public boolean valid() {
      return problems.isEmpty();
    }
  }

  private ConfigLoader() {}

  /**
   * Creates the config file from the bundled example when it does not exist. Answers true when it did; the caller
   * tells the user which keys to fill in ({@link #keysToFill()}).
   */
  public static boolean createFromTemplateIfMissing(Path file) throws IOException {
    if (Files.exists(file)) return false;
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/config.example.yaml")) {
      if (in == null) throw new IOException("the example config is missing from the jar");
      Files.copy(in, file);
    }
    AtomicFiles.makePrivate(file); // it will hold web.password and the client secrets
    return true;
  }

  /** The keys a new config file needs filled in before the service can sign in. */
  public static List<String> keysToFill() {
    return ConfigSchema.keys().stream().filter(ConfigKey::required).map(ConfigKey::path).toList();
  }

  /**
   * Reads and parses the YAML file. Not through Vert.x's config retriever: that one logs the parser's error on
   * every scan, and the parser's error quotes the offending line of the file — a line that may hold a secret.
   */
  public static Future<JsonObject> readFile(Vertx vertx, Path file) {
    return vertx.fileSystem().readFile(file.toAbsolutePath().toString())
        .compose(text -> new YamlProcessor().process(vertx, new JsonObject(), text));
  }

  /** Reads the file once and resolves it; a file that cannot be read or parsed is one problem naming why. */
  public static Future<Result> load(Vertx vertx, Sources sources) {
    if (!Files.exists(sources.file())) {
      return Future.succeededFuture(new Result(null, List.of(new ConfigProblem("config", "the file " + sources.file() + " does not exist"))));
    }
    return readFile(vertx, sources.file())
        .map(json -> resolve(json, sources))
        .recover(e -> Future.succeededFuture(new Result(null, List.of(unreadable(sources.file(), e)))));
  }

  /**
   * The problem a file that is not valid YAML is reported as: where (line, column) and what the parser found, in
   * our own words. Never the parser's message, which quotes the file's lines (and so its secrets).
   */
  public static ConfigProblem unreadable(Path file, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MarkedYAMLException yaml) {
        Mark mark = yaml.getProblemMark() != null ? yaml.getProblemMark() : yaml.getContextMark();
        String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
        String what = problemWords(yaml.getProblem());
        return new ConfigProblem("config", file.getFileName() + " is not valid YAML" + where + ": " + what);
      }
      if (t instanceof java.io.IOException || t instanceof io.vertx.core.file.FileSystemException) {
        return new ConfigProblem("config", "the file " + file + " could not be read (" + t.getClass().getSimpleName() + ")");
      }
    }
    Throwable root = e;
    while (root.getCause() != null) root = root.getCause();
    // a YAML error without a position, or a document that is not a map: name the kind of problem only
    return new ConfigProblem("config", file.getFileName() + " is not valid YAML (" + root.getClass().getSimpleName()
        + "): it must be a map of keys, as in config.example.yaml");
  }

  /**
   * The parser's description of a problem without any part of the file in it: the parser quotes tokens, alias
   * names and characters ("found undefined alias s3cret"), so everything from the first quote, and any name after
   * "alias", "anchor" or "tag", is cut.
   */
  static String problemWords(String problem) {
    if (problem == null) return "a syntax error";
    String words = problem.split("['\"`]", 2)[0];
    java.util.regex.Matcher named = java.util.regex.Pattern.compile("\\b(alias|anchor|tag)\\b").matcher(words);
    if (named.find()) words = words.substring(0, named.end());
    words = words.replaceAll("[^A-Za-z<>, :-]", " ").replaceAll("\\s+", " ").replaceAll("[\\s,:]+$", "").trim();
    if (words.length() > 80) words = words.substring(0, 80);
    return words.isEmpty() ? "a syntax error" : words;
  }

  /** Resolves the file's content against env, flags and defaults, and validates the result. */
  public static Result resolve(JsonObject fileJson, Sources sources) {
    List<ConfigProblem> problems = new ArrayList<>();
    JsonObject file = fileJson == null ? new JsonObject() : fileJson.copy();
    if (file.containsKey("mal")) {
      if (file.containsKey("myanimelist")) {
        problems.add(new ConfigProblem("mal", "both mal and myanimelist are set: keep one (mal is the old name of myanimelist)"));
      } else {
        file.put("myanimelist", file.remove("mal"));
      }
    }
    problems.addAll(ConfigValidator.unknownKeys(file));
    JsonObject resolved = new JsonObject();
    for (ConfigKey key : ConfigSchema.keys()) {
      Object value = at(sources.flags(), key.path());
      // an empty variable sets nothing: container templates pass every variable they list, filled in or not
      String env = sources.env().get(key.envVar());
      if (value == null && env != null && !env.isBlank()) value = coerce(key, env);
      if (value == null) value = at(file, key.path());
      if (value == null) value = key.defaultValue() instanceof List<?> l ? new JsonArray(new ArrayList<>(l)) : key.defaultValue();
      if (value != null) put(resolved, key.path(), value);
    }
    resolved.put(AppConfig.DATA_DIR, sources.dataDir().toString());
    AppConfig config = AppConfig.of(resolved);
    problems.addAll(ConfigValidator.values(config));
    return new Result(problems.isEmpty() ? config : null, problems);
  }

  /** An environment value (always text) as the kind of value the key takes; left as text when it does not parse. */
  static Object coerce(ConfigKey key, String raw) {
    String v = raw.trim();
    try {
      return switch (key.kind()) {
        case PORT, POSITIVE_INT, NON_NEGATIVE_INT -> Integer.parseInt(v);
        case POSITIVE_NUMBER -> Double.parseDouble(v);
        case BOOLEAN -> v.equalsIgnoreCase("true") ? Boolean.TRUE : v.equalsIgnoreCase("false") ? Boolean.FALSE : v;
        case CHOICE_LIST -> new JsonArray(Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
        case LIST -> new JsonArray(v);
        default -> v;
      };
    } catch (RuntimeException e) {
      return v;
    }
  }

  static Object at(JsonObject root, String path) {
    Object node = root;
    for (String part : path.split("\\.")) {
      if (!(node instanceof JsonObject obj)) return null;
      node = obj.getValue(part);
    }
    return node;
  }

  static void put(JsonObject root, String path, Object value) {
    String[] parts = path.split("\\.");
    JsonObject node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject child = node.getJsonObject(parts[i]);
      if (child == null) {
        child = new JsonObject();
        node.put(parts[i], child);
      }
      node = child;
    }
    node.put(parts[parts.length - 1], value);
  }
}
