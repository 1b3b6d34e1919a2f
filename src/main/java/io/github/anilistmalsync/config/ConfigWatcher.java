package io.github.anilistmalsync.config;

import io.github.anilistmalsync.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload: reads the config file ({@link ConfigLoader#readFile}) every {@link ConfigLoader#SCAN_PERIOD_MS}.
 * A valid edit is put in force and published on {@link Addresses#CONFIG_CHANGED}; an invalid one (half-written,
 * bad YAML, a bad value) is not: the last good config stays, and the problems are logged and published on
 * {@link Addresses#CONFIG_PROBLEMS} until the file is fixed. The watcher polls rather than relying on the
 * Vert.x config retriever's change events, which never fire for a file that fails to parse, nor for one fixed back
 * to the content in force — and the retriever logs the parser's error, which quotes the file's lines, every scan.
 */
public final class ConfigWatcher {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

  private final Vertx vertx;
  private final ConfigLoader.Sources sources;
  private AppConfig current;
  private List<ConfigProblem> problems = List.of();
  private JsonObject lastFile;
  private long timer = -1;
  /** The read in progress, so a scan never overlaps another. */
  private Future<Void> reading;

  /** {@code initial}'s launch keys and overrides are carried into every reloaded config ({@link AppConfig#reloaded}). */
  public ConfigWatcher(Vertx vertx, ConfigLoader.Sources sources, AppConfig initial) {
    this.vertx = vertx;
    this.sources = sources;
    this.current = initial;
  }

  public void start() {
    timer = vertx.setPeriodic(ConfigLoader.SCAN_PERIOD_MS, id -> {
      if (reading == null) scan();
    });
  }

  public void close() {
    if (timer >= 0) vertx.cancelTimer(timer);
  }

  public AppConfig current() {
    return current;
  }

  public List<ConfigProblem> problems() {
    return problems;
  }

  /** Reads the file now (after any read in progress) and puts a valid change in force before answering. */
  public Future<Void> reloadNow() {
    Future<Void> before = reading == null ? Future.succeededFuture() : reading;
    return before.compose(v -> scan());
  }

  private Future<Void> scan() {
    Future<Void> done = ConfigLoader.readFile(vertx, sources.file()).transform(ar -> {
      if (ar.failed()) {
        report(List.of(ConfigLoader.unreadable(sources.file(), ar.cause())));
        return Future.succeededFuture();
      }
      apply(ar.result());
      return Future.succeededFuture();
    });
    reading = done;
    done.onComplete(x -> {
      if (reading == done) reading = null;
    });
    return done;
  }

  private void apply(JsonObject file) {
    if (file.equals(lastFile) && problems.isEmpty()) return;
    lastFile = file;
    ConfigLoader.Result result = ConfigLoader.resolve(file, sources);
    if (!result.valid()) {
      report(result.problems());
      return;
    }
    JsonObject next = current.reloaded(result.config().json()).json();
    boolean hadProblems = !problems.isEmpty();
    problems = List.of();
    if (hadProblems) vertx.eventBus().publish(Addresses.CONFIG_PROBLEMS, new JsonObject().put("problems", new JsonArray()));
    if (next.equals(current.json())) {
      if (hadProblems) LOG.info("config file fixed; the config in force is unchanged");
      return;
    }
    current = AppConfig.of(next);
    Logging.apply(current.string("sync.log_level"));
    LOG.info("config reloaded from {}", sources.file());
    vertx.eventBus().publish(Addresses.CONFIG_CHANGED, next);
  }

  private void report(List<ConfigProblem> found) {
    if (found.equals(problems)) return;
    problems = List.copyOf(found);
    lastFile = null;
    LOG.warn("config file {} has {} problem(s); the last good config stays in force until it is fixed:", sources.file(), found.size());
    found.forEach(p -> LOG.warn("  {}", p));
    JsonArray list = new JsonArray();
    found.forEach(p -> list.add(p.toJson()));
    vertx.eventBus().publish(Addresses.CONFIG_PROBLEMS, new JsonObject().put("problems", list));
  }
}
