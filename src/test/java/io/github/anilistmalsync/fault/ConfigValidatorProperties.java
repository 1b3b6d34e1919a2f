package io.github.anilistmalsync.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.config.ConfigKey;
import io.github.anilistmalsync.config.ConfigLoader;
import io.github.anilistmalsync.config.ConfigProblem;
import io.github.anilistmalsync.config.ConfigSchema;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random config files (YAML as the loader sees it: maps, lists, text, numbers of every size, booleans, nulls), with
 * random environment overrides, through the real resolve-and-validate step: it answers a config or a list of
 * problems and never throws, every problem names a key the user can find, and no secret's value is ever shown.
 */
class ConfigValidatorProperties {
  private static final String SECRET = "s3cret-value-never-shown";
  private static final List<ConfigKey> KEYS = ConfigSchema.keys();

  @Property(tries = 200)
  void anyConfigGivesAConfigOrProblemsEachNamingAKey(@ForAll long seed) {
    Random r = new Random(seed);
    JsonObject file = new JsonObject();
    Set<String> written = new HashSet<>();
    for (int i = r.nextInt(25); i > 0; i--) {
      String path = r.nextInt(5) == 0 ? randomPath(r) : KEYS.get(r.nextInt(KEYS.size())).path();
      if (r.nextInt(10) == 0) path = path.replaceFirst("^myanimelist\\.", "mal.");
      if (put(file, path, randomValue(r, path, 2))) written.add(path);
    }
    if (r.nextInt(8) == 0) file.put(r.nextBoolean() ? "mal" : "sync", randomValue(r, "", 1));
    Map<String, String> env = new HashMap<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      ConfigKey key = KEYS.get(r.nextInt(KEYS.size()));
      env.put(key.envVar(), key.secret() ? SECRET : List.of("", "0", "-1", "abc", "true", "[1,", "http://x", "99999999999", "anime,tv").get(r.nextInt(9)));
    }
    String described = file.encode() + " env " + env;

    ConfigLoader.Result result = ConfigLoader.resolve(file, new ConfigLoader.Sources(Path.of("config.yaml"), Path.of("data"), null, env));

    assertThat(result.valid()).as(described).isEqualTo(result.config() != null);
    for (ConfigProblem p : result.problems()) {
      assertThat(p.key()).as("a problem's key in %s: %s", described, p).isNotBlank();
      assertThat(namesAKey(p.key(), file)).as("%s names a known key or one written in %s", p, described).isTrue();
      assertThat(p.message()).as(described).isNotBlank().doesNotContain(SECRET);
    }
  }

  /** A key of the schema, or a path the user wrote (an unknown key, reported so a typo is not ignored). */
  private static boolean namesAKey(String key, JsonObject file) {
    if (ConfigSchema.key(key).isPresent() || key.equals("mal")) return true;
    Object node = file;
    String[] parts = key.split("\\.");
    for (int i = 0; i < parts.length; i++) {
      if (!(node instanceof JsonObject o)) return false;
      String part = parts[i];
      if (i == 0 && part.equals("myanimelist") && !o.containsKey("myanimelist")) part = "mal";  // mal: is read as myanimelist:
      if (!o.containsKey(part)) return false;
      node = o.getValue(part);
    }
    return true;
  }

  private static String randomPath(Random r) {
    String[] parts = {"sync", "anilist", "myanimelist", "web", "oauth", "notifications", "fields", "typo", "apiurl", "interval", "Sync", "x.y"};
    StringBuilder path = new StringBuilder(parts[r.nextInt(parts.length)]);
    for (int i = r.nextInt(3); i > 0; i--) path.append('.').append(parts[r.nextInt(parts.length)]);
    return path.toString();
  }

  /** Puts {@code value} at the dotted path, unless something other than a map is already on the way. */
  private static boolean put(JsonObject root, String path, Object value) {
    String[] parts = path.split("\\.");
    JsonObject node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      Object child = node.getValue(parts[i]);
      if (child == null) {
        child = new JsonObject();
        node.put(parts[i], child);
      }
      if (!(child instanceof JsonObject o)) return false;
      node = o;
    }
    node.put(parts[parts.length - 1], value);
    return true;
  }

  private static Object randomValue(Random r, String path, int depth) {
    boolean secret = ConfigSchema.key(path).map(ConfigKey::secret).orElse(false);
    String mark = secret ? SECRET : "not-a-secret";  // the secret's text only where the schema says the key is secret
    int pick = r.nextInt(depth > 0 ? 12 : 10);
    return switch (pick) {
      case 0 -> null;
      case 1 -> r.nextBoolean();
      case 2 -> r.nextInt(200_000) - 100_000;
      case 3 -> List.<Object>of(Long.MAX_VALUE, new BigInteger("123456789012345678901234567890"), 0, -1, 65536, 1e300, 0.5, -0.0)
          .get(r.nextInt(8));
      case 4 -> secret ? SECRET : List.of("", " ", "YOUR_ID", "anime", "bidirectional", "keep", "DEBUG").get(r.nextInt(7));
      case 5 -> List.of("http://127.0.0.1:1/x", "https://", "not a url", "ftp://x", "http://[::1", "https://example.com/" + mark)
          .get(r.nextInt(6));
      case 6 -> r.nextDouble() * 1000;
      case 7 -> "18080";
      case 8 -> new JsonArray(List.of("anime", "manga", "tv").subList(0, r.nextInt(4)));
      case 9 -> new JsonArray();
      case 10 -> {
        JsonArray hooks = new JsonArray();
        for (int i = 1 + r.nextInt(2); i > 0; i--) {
          JsonObject hook = new JsonObject();
          if (r.nextBoolean()) hook.put("url", r.nextBoolean() ? "https://hooks.example/" + mark : randomValue(r, "", 0));
          if (r.nextBoolean()) hook.put("format", r.nextBoolean() ? List.of("json", "discord", "ntfy", "xml").get(r.nextInt(4)) : randomValue(r, "", 0));
          if (r.nextBoolean()) hook.put("events", r.nextBoolean() ? new JsonArray(List.of("run_failed", "bogus")) : "run_failed");
          hooks.add(r.nextInt(5) == 0 ? randomValue(r, path, depth - 1) : hook);
        }
        yield hooks;
      }
      default -> {
        JsonObject o = new JsonObject();
        List<String> keys = new ArrayList<>(List.of("url", "format", "events", "interval", "port", "anime", "x"));
        for (int i = r.nextInt(3); i > 0; i--) o.put(keys.get(r.nextInt(keys.size())), randomValue(r, "", depth - 1));
        yield o;
      }
    };
  }
}
