package io.github.anilistmalsync.config;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.bus.BusReplies;
import io.github.anilistmalsync.files.AtomicFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The config file behind the dashboard's editor ({@link Addresses#CONFIG_FILE_READ}, {@link Addresses#CONFIG_FILE_SAVE}).
 * A save is checked with the rules the service starts with; rejected, it leaves the file untouched and lists every
 * problem; accepted, the previous file is kept as {@code <name>.bak}, the new one replaces it atomically, and the
 * watcher puts it in force before the answer. Secrets travel masked ({@link ConfigText}). File I/O runs on workers.
 */
public final class ConfigEditor {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigEditor.class);

  private final Vertx vertx;
  private final ConfigLoader.Sources sources;
  private final ConfigWatcher watcher;
  private final List<MessageConsumer<JsonObject>> consumers = new java.util.ArrayList<>();

  public ConfigEditor(Vertx vertx, ConfigLoader.Sources sources, ConfigWatcher watcher) {
    this.vertx = vertx;
    this.sources = sources;
    this.watcher = watcher;
  }

  public Future<Void> start() {
    consumers.add(vertx.eventBus().consumer(Addresses.CONFIG_FILE_READ, msg -> BusReplies.answer(msg, body -> read())));
    consumers.add(vertx.eventBus().consumer(Addresses.CONFIG_FILE_SAVE, msg -> BusReplies.answer(msg, this::save)));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  public void close() {
    consumers.forEach(MessageConsumer::unregister);
  }

  /** The backup of the previous version, beside the file. */
  public static Path backupOf(Path file) {
    return file.resolveSibling(file.getFileName() + ".bak");
  }

  private Future<JsonObject> read() {
    return vertx.executeBlocking(() -> Files.readString(sources.file(), StandardCharsets.UTF_8), false)
        .map(text -> fileFacts().put("yaml", ConfigText.mask(text, ConfigText.secrets(text), new HashMap<>())));
  }

  /** The file's name and the problems of what is on disk now, which the editor shows with any answer. */
  private JsonObject fileFacts() {
    return new JsonObject().put("file", sources.file().getFileName().toString()).put("diskProblems", json(watcher.problems()));
  }

  private Future<JsonObject> save(JsonObject body) {
    String edited = body.getString("yaml", "");
    Map<String, String> pending = new HashMap<>();
    body.getJsonObject("pending", new JsonObject()).forEach(e -> pending.put(e.getKey(), String.valueOf(e.getValue())));
    boolean confirmed = body.getBoolean("confirmUrlChanges", false);
    return vertx.executeBlocking(() -> Files.readString(sources.file(), StandardCharsets.UTF_8), false).compose(current -> {
      Map<String, String> saved = ConfigText.secrets(current);
      ConfigText.Restored restored = ConfigText.restore(edited, saved, pending);
      if (!restored.problems().isEmpty()) return Future.succeededFuture(rejected(edited, saved, pending).put("problems", json(restored.problems())));
      ConfigLoader.Result result = ConfigLoader.resolve(restored.json(), sources);
      if (!result.valid()) return Future.succeededFuture(rejected(edited, saved, pending).put("problems", json(result.problems())));
      ConfigText.Restored before = ConfigText.restore(current, saved, Map.of());
      JsonArray urlChanges = ConfigText.urlChanges(before.json(), restored.json());
      if (!urlChanges.isEmpty() && !confirmed) {
        return Future.succeededFuture(rejected(edited, saved, pending).put("needsConfirmation", true).put("urlChanges", urlChanges));
      }
      Path backup = backupOf(sources.file());
      return vertx.executeBlocking(() -> {
        AtomicFiles.write(backup, current);
        AtomicFiles.write(sources.file(), restored.text());
        return null;
      }, false).compose(v -> {
        LOG.info("config file {} saved from the dashboard; the previous version is in {}", sources.file(), backup.getFileName());
        return watcher.reloadNow();
      }).map(v -> new JsonObject().put("saved", true).put("backup", backup.getFileName().toString()).put("urlChanges", urlChanges));
    });
  }

  /** A rejected save: the edited text masked again, and the secrets typed in it kept aside (never shown). */
  private JsonObject rejected(String edited, Map<String, String> saved, Map<String, String> pending) {
    Map<String, String> stillPending = new HashMap<>(pending);
    String masked = ConfigText.mask(edited, saved, stillPending);
    JsonObject keep = new JsonObject();
    stillPending.forEach(keep::put);
    return fileFacts().put("saved", false).put("yaml", masked).put("pending", keep);
  }

  private static JsonArray json(List<ConfigProblem> problems) {
    JsonArray out = new JsonArray();
    problems.forEach(p -> out.add(p.toJson()));
    return out;
  }
}
