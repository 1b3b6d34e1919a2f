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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The config file behind the dashboard's settings form and raw editor ({@link Addresses#CONFIG_FILE_READ},
 * {@link Addresses#CONFIG_FILE_SAVE}). File I/O runs on workers.
 *
 * <p><b>Secrets are write-only.</b> No answer carries a secret's value in any form. The form gets, for a secret key,
 * only whether it is set; a blank field keeps the stored value, a typed one replaces it. The raw view shows each
 * secret as {@link ConfigMasker#MASK}; on save the mask is resolved by the key path it stands at (the stored value
 * of that same path), never by its position in the text, and a mask at a path that is not a secret is refused. A
 * text using anchors, aliases, merge keys, explicit tags or several documents is refused ({@link ConfigText#parse}),
 * so no value can stand in two places. Problems are redacted ({@link ConfigMasker#redact}) against every secret
 * stored, typed or in force.
 *
 * <p><b>Where secrets go needs the password.</b> A save that changes a key deciding where a token, a secret or a
 * webhook payload goes, or the password itself ({@link ConfigSchema#guarded}), is refused unless the caller re-entered
 * the dashboard password in that save ({@code passwordConfirmed}, checked by the web verticle against the login
 * hash), and always when the caller came with {@code web.api_token} alone ({@code viaApiToken}).
 *
 * <p>A save is checked with the rules the service starts with; rejected, it leaves the file untouched and lists
 * every problem; accepted, the previous file is kept as {@code <name>.bak}, the new one replaces it atomically and
 * the watcher puts it in force before the answer. Keys the service reads only at start are named in the answer
 * ({@code restartNeeded}): they are saved at once and in force after a restart.
 */
public final class ConfigEditor {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigEditor.class);

  private final Vertx vertx;
  private final ConfigLoader.Sources sources;
  private final ConfigWatcher watcher;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();

  /** {@code watcher} null: before the service runs (the browser setup), with no config in force to reload. */
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

  // ---- reading ---------------------------------------------------------------------------------------------

  private Future<String> disk() {
    return vertx.executeBlocking(() -> Files.exists(sources.file()) ? Files.readString(sources.file(), StandardCharsets.UTF_8) : "", false);
  }

  private Future<JsonObject> read() {
    return disk().map(text -> {
      ConfigText.Parsed parsed = ConfigText.parse(text);
      Set<String> secrets = secretValues(parsed, null, Map.of());
      secrets.addAll(ConfigMasker.secretValuesLoosely(text));
      JsonObject out = fileFacts(secrets);
      if (parsed.ok()) {
        return out.put("readable", true)
            .put("yaml", ConfigMasker.maskedView(text, Map.of(), secrets))
            .put("fields", overridden(ConfigForm.fields(parsed.doc())))
            .put("webhooks", ConfigForm.webhooks(parsed.doc()));
      }
      // not safe to edit as a tree: the text with secret lines masked, and where the parser stopped
      return out.put("readable", false)
          .put("yaml", ConfigMasker.maskedLines(text, secrets))
          .put("unreadable", problemJson(ConfigMasker.scrub(parsed.asProblem().message(), secrets), parsed))
          .put("fields", overridden(ConfigForm.fields(null)))
          .put("webhooks", new JsonArray());
    });
  }

  /** The file's name and the problems of what is on disk now (redacted), shown with any answer. */
  private JsonObject fileFacts(Set<String> secrets) {
    return new JsonObject().put("file", sources.file().getFileName().toString())
        .put("diskProblems", json(ConfigMasker.redact(watcher == null ? List.of() : watcher.problems(), secrets)));
  }

  private static JsonObject problemJson(String message, ConfigText.Parsed parsed) {
    return new JsonObject().put("message", message).put("line", parsed.line()).put("column", parsed.column());
  }

  /** Marks the fields an environment variable or a flag sets: the file's value is not the one in force. */
  private JsonArray overridden(JsonArray fields) {
    for (Object o : fields) {
      JsonObject field = (JsonObject) o;
      String by = overriddenBy(sources, field.getString("key"));
      if (by != null) field.put("overriddenBy", by);
    }
    return fields;
  }

  /**
   * What sets {@code path} over the file, in words ("a command-line flag", "the environment variable SYNC_MODE"),
   * or null when the file's value is the one in force. An empty variable sets nothing, as {@link ConfigLoader} reads it.
   */
  public static String overriddenBy(ConfigLoader.Sources sources, String path) {
    ConfigKey key = ConfigSchema.key(path).orElseThrow();
    if (ConfigLoader.at(sources.flags(), key.path()) != null) return "a command-line flag";
    String env = sources.env().get(key.envVar());
    return env != null && !env.isBlank() ? "the environment variable " + key.envVar() : null;
  }

  // ---- saving ----------------------------------------------------------------------------------------------

  /**
   * The one way the file is written, for {@link Addresses#CONFIG_FILE_SAVE} and the browser setup: {values |
   * yaml, pending?, passwordConfirmed?, viaApiToken?} → {saved, problems?, message, ...}. A refused answer holds
   * the typed secrets in {@code pending}: keep them server-side, never send them to a browser.
   */
  public Future<JsonObject> save(JsonObject body) {
    Map<String, String> pending = new HashMap<>();
    body.getJsonObject("pending", new JsonObject()).forEach(e -> pending.put(e.getKey(), String.valueOf(e.getValue())));
    return disk().compose(current -> {
      ConfigText.Parsed stored = ConfigText.parse(current);
      // before any draft: a form save edits a tree of its own, but read the stored values first all the same
      JsonObject beforeJson = stored.ok() ? ConfigForm.safeJson(stored.doc()) : new JsonObject();
      boolean raw = body.getValue("yaml") instanceof String;
      ConfigForm.Draft draft = raw ? fromText(body.getString("yaml"), stored, pending) : ConfigForm.edit(body, stored, pending);
      Set<String> secrets = secretValues(stored, draft.doc(), draft.typed());
      secrets.addAll(pending.values());
      secrets.addAll(ConfigMasker.secretValuesLoosely(current));
      if (raw) secrets.addAll(ConfigMasker.secretValuesLoosely(body.getString("yaml")));
      secrets.remove(ConfigMasker.MASK);
      secrets.remove(ConfigText.MASK_TYPED);
      if (!draft.problems().isEmpty()) return Future.succeededFuture(refused(body, raw, draft, secrets, "invalid", draft.problems()));
      JsonObject afterJson;
      try {
        afterJson = draft.doc().json();
      } catch (IllegalArgumentException e) {
        List<ConfigProblem> p = List.of(new ConfigProblem(e.getMessage(), "is not text, a number, true/false, a list or a mapping (quote it)"));
        return Future.succeededFuture(refused(body, raw, draft, secrets, "invalid", p));
      }
      ConfigLoader.Result result = ConfigLoader.resolve(afterJson, sources);
      if (!result.valid()) return Future.succeededFuture(refused(body, raw, draft, secrets, "invalid", result.problems()));
      JsonArray changes = ConfigChanges.guardedChanges(beforeJson, afterJson);
      if (!changes.isEmpty()) {
        if (body.getBoolean("viaApiToken", false)) {
          return Future.succeededFuture(refused(body, raw, draft, secrets, "apiTokenRefused", List.of()).put("changes", changes)
              .put("message", "These keys decide where tokens, secrets or webhook payloads are sent, or who can sign in; "
                  + "they cannot be changed with web.api_token: sign in to the dashboard and re-enter the password."));
        }
        if (!body.getBoolean("passwordConfirmed", false)) {
          return Future.succeededFuture(refused(body, raw, draft, secrets, "needsPassword", List.of()).put("changes", changes)
              .put("message", "These keys decide where tokens, secrets or webhook payloads are sent, or who can sign in: "
                  + "re-enter the dashboard password to save them."));
        }
      }
      JsonArray restart = ConfigChanges.restartChanges(beforeJson, afterJson);
      String text = draft.doc().text();
      if (stored.ok() && text.equals(stored.doc().text())) {
        return Future.succeededFuture(new JsonObject().put("saved", true).put("unchanged", true).put("backup", backupOf(sources.file()).getFileName().toString())
            .put("changes", new JsonArray()).put("restartNeeded", new JsonArray()).put("message", "Nothing to save: the file already says this."));
      }
      Path backup = backupOf(sources.file());
      return vertx.executeBlocking(() -> {
        AtomicFiles.write(backup, current);
        AtomicFiles.write(sources.file(), text);
        return null;
      }, false).compose(v -> {
        LOG.info("config file {} saved from the dashboard; the previous version is in {}", sources.file(), backup.getFileName());
        return watcher == null ? Future.<Void>succeededFuture() : watcher.reloadNow();
      }).map(v -> new JsonObject().put("saved", true).put("backup", backup.getFileName().toString())
          .put("changes", changes).put("restartNeeded", restart)
          .put("message", (restart.isEmpty() ? "Saved and in force."
              : "Saved. In force now, except " + String.join(", ", restart.stream().map(String::valueOf).toList())
                  + ": the service reads those only at start, so they are in force after a restart.")
              + (draft.doc().commentsDropped() ? " The file's comments could not be kept (one stood where YAML cannot write it back)." : "")));
    });
  }

  /**
   * A raw save: the edited text's tree, with each mask resolved by the path it stands at. A mask (or
   * {@link ConfigText#MASK_TYPED}) anywhere but as the whole value of a secret path is refused.
   */
  private static ConfigForm.Draft fromText(String edited, ConfigText.Parsed stored, Map<String, String> pending) {
    ConfigText.Parsed parsed = ConfigText.parse(edited);
    if (!parsed.ok()) return new ConfigForm.Draft(null, List.of(parsed.asProblem()), Map.of());
    List<ConfigProblem> problems = new ArrayList<>();
    Map<String, String> typed = new HashMap<>();
    for (ConfigText.Leaf leaf : parsed.doc().leaves()) {
      boolean secret = ConfigMasker.isSecretPath(leaf.path());
      boolean holdsMask = leaf.value().contains(ConfigMasker.MASK);
      if (holdsMask && !secret) {
        problems.add(new ConfigProblem(leaf.path(), "holds the placeholder of a secret, but this key is not a secret: "
            + "the placeholder only keeps the stored value of the secret key it stands at"));
      } else if (holdsMask && leaf.value().equals(ConfigMasker.MASK)) {
        if (!stored.ok() || stored.doc().scalar(leaf.path()) == null) {
          problems.add(new ConfigProblem(leaf.path(), "shows the mask but no value is stored for this key: type the value"));
        }
      } else if (holdsMask && leaf.value().equals(ConfigText.MASK_TYPED)) {
        if (!pending.containsKey(leaf.path())) {
          problems.add(new ConfigProblem(leaf.path(), "the value typed earlier is gone (a new session?): type it again"));
        }
      } else if (holdsMask) {
        problems.add(new ConfigProblem(leaf.path(), "holds the placeholder inside other text: keep the placeholder alone, or type the whole value"));
      } else if (secret && !leaf.value().isEmpty() && (!stored.ok() || !leaf.value().equals(stored.doc().scalar(leaf.path())))) {
        typed.put(leaf.path(), leaf.value());
      }
    }
    parsed.doc().replaceScalars((path, value) -> {
      if (!ConfigMasker.isSecretPath(path)) return null;
      if (value.equals(ConfigMasker.MASK)) return stored.ok() ? stored.doc().scalar(path) : null;
      if (value.equals(ConfigText.MASK_TYPED)) return pending.get(path);
      return null;
    });
    // a value resolved from a mask is not "typed": it is what is stored
    pending.forEach((path, value) -> {
      if (value.equals(parsed.doc().scalar(path))) typed.put(path, value);
    });
    return new ConfigForm.Draft(parsed.doc(), problems, typed);
  }

  /**
   * A refused save: what the browser may be shown of it. For a raw save the edited tree masked again, each typed
   * secret shown as {@link ConfigText#MASK_TYPED} and kept aside by path ({@code pending}: for the session, never
   * to show); for a form save the typed secrets' paths in {@code keptTyped}.
   */
  private JsonObject refused(JsonObject body, boolean raw, ConfigForm.Draft draft, Set<String> secrets, String reason, List<ConfigProblem> problems) {
    JsonObject out = fileFacts(secrets).put("saved", false).put("reason", reason)
        .put("problems", json(ConfigMasker.redact(problems, secrets)));
    JsonObject keep = new JsonObject();
    draft.typed().forEach(keep::put);
    out.put("pending", keep).put("keptTyped", new JsonArray(new ArrayList<>(draft.typed().keySet())));
    if (raw) {
      String edited = body.getString("yaml", "");
      String shown = draft.doc() != null ? ConfigMasker.maskedView(draft.doc().text(), draft.typed(), secrets) : null;
      out.put("yaml", shown != null ? shown : ConfigMasker.maskedLines(edited, secrets));
    }
    return out;
  }

  /** Every secret value known to this save: stored in the file, typed into it, and in force now. */
  private Set<String> secretValues(ConfigText.Parsed stored, ConfigText.Doc draft, Map<String, String> typed) {
    Set<String> out = new LinkedHashSet<>(watcher == null ? List.of() : ConfigMasker.secretValues(watcher.current()));
    if (stored.ok()) {
      for (ConfigText.Leaf leaf : stored.doc().leaves()) {
        if (ConfigMasker.isSecretPath(leaf.path())) out.add(leaf.value());
      }
    }
    if (draft != null) {
      for (ConfigText.Leaf leaf : draft.leaves()) {
        if (ConfigMasker.isSecretPath(leaf.path())) out.add(leaf.value());
      }
    }
    out.addAll(typed.values());
    out.remove(ConfigMasker.MASK);
    out.remove(ConfigText.MASK_TYPED);
    return out;
  }

  private static JsonArray json(List<ConfigProblem> problems) {
    JsonArray out = new JsonArray();
    problems.forEach(p -> out.add(p.toJson()));
    return out;
  }
}
