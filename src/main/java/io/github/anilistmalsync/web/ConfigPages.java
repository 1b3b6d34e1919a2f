package io.github.anilistmalsync.web;

import static io.github.anilistmalsync.web.Pages.apiFailure;
import static io.github.anilistmalsync.web.Pages.error;
import static io.github.anilistmalsync.web.Pages.json;
import static io.github.anilistmalsync.web.Pages.messageOf;
import static io.github.anilistmalsync.web.Pages.notice;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.config.ConfigSchema;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings page: a form generated from the config schema (every key, grouped by section, secrets write-only) and
 * the raw YAML as an advanced view, both saved through the service that owns the file ({@code ConfigEditor}).
 *
 * <p>The dashboard password re-entered in a save is checked here, against the same hash the login checks
 * ({@link PasswordStore}, {@link PasswordHasher}), and the editor is told only whether it matched. A request that
 * came with a Bearer token (which the access gate let through only as {@code web.api_token}) is marked as such, and
 * the editor refuses it any change to where secrets go. Five wrong passwords in one session end the session.
 */
final class ConfigPages {
  /** Secrets typed into a config save that was refused: kept server-side for the next try, never sent back. */
  private static final String CONFIG_PENDING_KEY = "configPending";
  private static final String PASSWORD_FAILURES_KEY = "configPasswordFailures";
  private static final int MAX_PASSWORD_FAILURES = 5;
  private static final Map<String, String> GROUP_TITLES = Map.of(
      "oauth", "Sign-in (OAuth)", "anilist", "AniList", "myanimelist", "MyAnimeList", "sync", "Sync",
      "general", "Files", "web", "Web dashboard", "backups", "Backups", "notifications", "Notifications");

  private final Pages pages;

  ConfigPages(Pages pages) {
    this.pages = pages;
  }

  /** Adds these pages and their JSON API to the router. */
  void register(Router router) {
    router.get("/config").handler(this::showConfig);
    router.post("/config").handler(this::saveConfigFromPage);
    router.get("/api/config").handler(ctx -> pages.request(Addresses.CONFIG_FILE_READ, new JsonObject())
        .onSuccess(reply -> json(ctx, 200, reply))
        .onFailure(err -> apiFailure(ctx, err)));
    router.put("/api/config").handler(this::saveConfigFromApi);
  }

  private void showConfig(RoutingContext ctx) {
    ctx.session().remove(CONFIG_PENDING_KEY);
    pages.request(Addresses.CONFIG_FILE_READ, new JsonObject())
        .onSuccess(reply -> pages.render(ctx, 200, "config", configPage(ctx, reply, null, List.of())))
        .onFailure(err -> pages.pageFailure(ctx, err, "Config", "config"));
  }

  /**
   * The page for a config.file.read answer. {@code submitted}: a refused form save's values, shown again in place of
   * the file's (never for secrets); {@code keptTyped}: secret paths whose typed value the session keeps.
   */
  private JsonObject configPage(RoutingContext ctx, JsonObject file, MultiMap submitted, List<String> keptTyped) {
    Map<String, JsonObject> groups = new LinkedHashMap<>();
    for (Object o : file.getJsonArray("fields", new JsonArray())) {
      JsonObject field = formField((JsonObject) o, submitted, keptTyped);
      groups.computeIfAbsent(field.getString("group"), g -> new JsonObject().put("name", g)
          .put("title", GROUP_TITLES.getOrDefault(g, g)).put("fields", new JsonArray()))
          .getJsonArray("fields").add(field);
    }
    JsonArray hooks = new JsonArray();
    for (Object o : file.getJsonArray("webhooks", new JsonArray())) hooks.add(webhookRow((JsonObject) o, false));
    hooks.add(webhookRow(new JsonObject().put("index", hooks.size()), true));
    return pages.page(ctx, "Config", "config")
        .put("file", file.getString("file", "config.yaml"))
        .put("yaml", file.getString("yaml", ""))
        .put("readable", file.getBoolean("readable", false))
        .put("unreadable", file.getJsonObject("unreadable"))
        .put("groups", new JsonArray(new ArrayList<>(groups.values())))
        .put("webhooks", hooks)
        .put("diskProblems", file.getJsonArray("diskProblems", new JsonArray()));
  }

  /** One schema key as the form shows it: which input, its options and current value; a secret only set / not set. */
  private static JsonObject formField(JsonObject f, MultiMap submitted, List<String> keptTyped) {
    String key = f.getString("key");
    String kind = f.getString("kind");
    Object value = f.getValue("value");
    Object def = f.getValue("default");
    if (submitted != null && !f.getBoolean("secret") && submitted.contains(key)) {
      List<String> given = submitted.getAll(key).stream().filter(s -> !s.isEmpty()).toList();
      value = kind.equals("CHOICE_LIST") ? new JsonArray(new ArrayList<>(given)) : given.isEmpty() ? null : given.get(0);
    }
    Object effective = value != null ? value : def;
    JsonObject out = new JsonObject()
        .put("key", key).put("id", "cfg-" + key.replaceAll("[^A-Za-z0-9]", "-"))
        .put("group", f.getString("group")).put("description", f.getString("description"))
        .put("kind", kind.toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
        .put("defaultText", def == null ? "none" : display(def))
        .put("allowedText", f.getJsonArray("allowed", new JsonArray()).isEmpty() ? null : String.join(", ", strings(f.getJsonArray("allowed"))))
        .put("required", f.getBoolean("required", false))
        .put("needsRestart", f.getBoolean("needsRestart", false))
        .put("guarded", f.getBoolean("guarded", false))
        .put("overriddenBy", f.getString("overriddenBy"));
    if (kind.equals("LIST")) return out.put("isList", true).put("set", f.getBoolean("set", false));
    if (f.getBoolean("secret", false)) {
      return out.put("isSecret", true).put("set", f.getBoolean("set", false)).put("typed", keptTyped.contains(key));
    }
    switch (kind) {
      case "BOOLEAN" -> out.put("isChoice", true).put("options", options(List.of("true", "false"), List.of(display(effective))));
      case "CHOICE" -> out.put("isChoice", true).put("options", options(strings(f.getJsonArray("allowed")), List.of(display(effective))));
      case "CHOICE_LIST" -> out.put("isChoiceList", true).put("options", options(strings(f.getJsonArray("allowed")),
          effective instanceof JsonArray a ? strings(a) : List.of()));
      default -> out.put("isText", true).put("value", value == null ? "" : display(value));
    }
    return out;
  }

  private static JsonObject webhookRow(JsonObject hook, boolean isNew) {
    List<String> events = hook.getValue("events") instanceof JsonArray e ? strings(e) : List.of();
    return new JsonObject().put("index", hook.getInteger("index")).put("isNew", isNew).put("urlSet", hook.getBoolean("urlSet", false))
        .put("formats", options(ConfigSchema.WEBHOOK_FORMATS, List.of(hook.getString("format", "json"))))
        .put("events", options(ConfigSchema.WEBHOOK_EVENTS, events));
  }

  private static JsonArray options(List<String> allowed, List<String> selected) {
    JsonArray out = new JsonArray();
    allowed.forEach(a -> out.add(new JsonObject().put("value", a).put("selected", selected.contains(a))));
    return out;
  }

  private static String display(Object value) {
    if (value instanceof JsonArray a) return String.join(", ", strings(a));
    if (value instanceof List<?> l) return String.join(", ", l.stream().map(String::valueOf).toList());
    if (value instanceof Double d && d == Math.rint(d)) return String.valueOf(d.longValue());
    return String.valueOf(value);
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    if (array != null) array.forEach(v -> out.add(String.valueOf(v)));
    return out;
  }

  // ---- saving ----------------------------------------------------------------------------------------------

  private void saveConfigFromPage(RoutingContext ctx) {
    MultiMap form = ctx.request().formAttributes();
    JsonObject save = form.contains("yaml") ? new JsonObject().put("yaml", form.get("yaml")) : formSave(form);
    Session session = ctx.session();
    save.put("pending", session.get(CONFIG_PENDING_KEY) instanceof JsonObject p ? p : new JsonObject());
    String password = form.get("password");
    checkPassword(ctx, password).compose(confirmed -> pages.request(Addresses.CONFIG_FILE_SAVE,
            save.put("passwordConfirmed", confirmed).put("viaApiToken", false)).map(reply -> reply.put("wrongPassword", !confirmed && given(password))))
        .onSuccess(reply -> {
          if (reply.getBoolean("saved", false)) {
            session.remove(CONFIG_PENDING_KEY);
            notice(ctx, reply.getBoolean("unchanged", false) ? reply.getString("message")
                : reply.getString("message", "Saved.") + " The previous version is kept as " + reply.getString("backup") + ".");
            ctx.redirect("/config");
            return;
          }
          if (session.get(PASSWORD_FAILURES_KEY) instanceof Integer n && n >= MAX_PASSWORD_FAILURES) {
            session.destroy();
            ctx.redirect("/login");
            return;
          }
          session.put(CONFIG_PENDING_KEY, reply.getJsonObject("pending", new JsonObject()));
          List<String> kept = save.containsKey("yaml") ? List.of() : strings(reply.getJsonArray("keptTyped"));
          pages.request(Addresses.CONFIG_FILE_READ, new JsonObject()).onSuccess(file -> {
            JsonObject model = configPage(ctx, file, save.containsKey("yaml") ? null : form, kept)
                .put("saveProblems", reply.getJsonArray("problems"))
                .put("saveProblemCount", reply.getJsonArray("problems", new JsonArray()).size())
                .put("changes", reply.getJsonArray("changes"))
                .put("refusal", refusalText(reply))
                .put("rawOpen", save.containsKey("yaml"));
            if (save.containsKey("yaml")) model.put("yaml", reply.getString("yaml", ""));
            pages.render(ctx, status(reply), "config", model);
          }).onFailure(err -> pages.pageFailure(ctx, err, "Config", "config"));
        })
        .onFailure(err -> {
          notice(ctx, "Not saved: " + messageOf(err));
          ctx.redirect("/config");
        });
  }

  /** A form post as a config.file.save request: values by key path, secrets to clear, webhooks, typed secrets to keep. */
  private static JsonObject formSave(MultiMap form) {
    JsonObject values = new JsonObject();
    for (io.github.anilistmalsync.config.ConfigKey key : ConfigSchema.keys()) {
      if (!form.contains(key.path())) continue;
      List<String> all = form.getAll(key.path());
      values.put(key.path(), key.kind() == io.github.anilistmalsync.config.ConfigKey.Kind.CHOICE_LIST
          ? new JsonArray(new ArrayList<>(all.stream().filter(s -> !s.isEmpty()).toList())) : all.get(all.size() - 1));
    }
    JsonObject save = new JsonObject().put("values", values)
        .put("clear", new JsonArray(new ArrayList<>(form.getAll("clear"))))
        .put("keepTyped", new JsonArray(new ArrayList<>(form.getAll("keepTyped"))));
    if (form.contains("webhooks.present")) {
      JsonArray hooks = new JsonArray();
      for (int i = 0; form.contains("webhook." + i + ".format"); i++) {
        String p = "webhook." + i + ".";
        JsonObject hook = new JsonObject().put("url", form.get(p + "url")).put("format", form.get(p + "format"))
            .put("events", new JsonArray(new ArrayList<>(form.getAll(p + "events").stream().filter(s -> !s.isEmpty()).toList())))
            .put("remove", form.contains(p + "remove"));
        if (!"new".equals(form.get(p + "index"))) hook.put("index", i);
        hooks.add(hook);
      }
      save.put("webhooks", hooks);
    }
    return save;
  }

  /**
   * PUT /api/config {yaml} or {values, clear?, webhooks?}, with password? when it changes where secrets go: 200 saved,
   * 422 with the problems, 403 when the change needs the password (or came with web.api_token, which never suffices).
   */
  private void saveConfigFromApi(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    boolean raw = body != null && body.getValue("yaml") instanceof String;
    boolean form = body != null && body.getValue("values") instanceof JsonObject;
    if (!raw && !form) {
      json(ctx, 400, error("expected {yaml: the whole config file as text} or {values: {key: value}}, and password when "
          + "the save changes where secrets are sent"));
      return;
    }
    JsonObject save = raw ? new JsonObject().put("yaml", body.getString("yaml"))
        : new JsonObject().put("values", body.getJsonObject("values")).put("clear", body.getValue("clear") instanceof JsonArray a ? a : new JsonArray())
            .put("webhooks", body.getValue("webhooks") instanceof JsonArray w ? w : null);
    boolean viaToken = ctx.request().getHeader("Authorization") != null;
    String password = body.getValue("password") instanceof String s ? s : null;
    Future<Boolean> confirmed = viaToken ? Future.succeededFuture(false) : checkPassword(ctx, password);
    confirmed.compose(ok -> pages.request(Addresses.CONFIG_FILE_SAVE, save.put("passwordConfirmed", ok).put("viaApiToken", viaToken))
            .map(reply -> reply.put("wrongPassword", !ok && given(password))))
        .onSuccess(reply -> {
          // typed secrets are never echoed; a script sends them again with its next try
          reply.remove("pending");
          reply.remove("keptTyped");
          if (!reply.getBoolean("saved", false) && refusalText(reply) != null) reply.put("error", refusalText(reply));
          json(ctx, status(reply), reply);
        })
        .onFailure(err -> apiFailure(ctx, err));
  }

  private static int status(JsonObject reply) {
    if (reply.getBoolean("saved", false)) return 200;
    return switch (reply.getString("reason", "invalid")) {
      case "needsPassword", "apiTokenRefused" -> 403;
      default -> 422;
    };
  }

  private static String refusalText(JsonObject reply) {
    if (reply.getBoolean("wrongPassword", false) && "needsPassword".equals(reply.getString("reason"))) {
      return "Not saved: the password is wrong. " + reply.getString("message", "");
    }
    return reply.getString("message");
  }

  private static boolean given(String password) {
    return password != null && !password.isEmpty();
  }

  /**
   * Whether the password re-entered in a save is the dashboard password, checked against the hash logins use (off the
   * event loop: the hash is slow on purpose). No password: false. A wrong one counts towards ending the session.
   */
  private Future<Boolean> checkPassword(RoutingContext ctx, String password) {
    if (!given(password)) return Future.succeededFuture(false);
    PasswordStore store = new FilePasswordStore(pages.config().dataDir().resolve(LoginPages.PASSWORD_HASH_FILE));
    return ctx.vertx().executeBlocking(() -> store.load().map(hash -> PasswordHasher.verify(password, hash)).orElse(false), false)
        .onSuccess(ok -> {
          Session session = ctx.session();
          if (session == null) return;
          if (ok) {
            session.remove(PASSWORD_FAILURES_KEY);
          } else {
            int failures = session.get(PASSWORD_FAILURES_KEY) instanceof Integer n ? n + 1 : 1;
            session.put(PASSWORD_FAILURES_KEY, failures);
          }
        });
  }
}
