package io.github.anilistmalsync.web;

import io.github.anilistmalsync.auth.AuthVerticle;
import io.github.anilistmalsync.config.ConfigEditor;
import io.github.anilistmalsync.config.ConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.templ.handlebars.HandlebarsTemplateEngine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first-run setup page, served while {@code run} waits for a config: the dashboard password (hashed into
 * {@code web-password.hash}, never written to the config), and per service where to create the API client, the
 * exact redirect URI to register (worked out from the address the browser used) and the client's id and secret.
 * It saves through the config editor's validated, atomic save; on success the caller starts the service.
 *
 * <p>Only a browser that brings the one-time {@code code} of the log's setup line gets the form, and only it can
 * save: whoever reaches the port first learns nothing and changes nothing. Nothing typed into the form (a secret,
 * the password) is ever sent back.
 */
public final class FirstRunSetup {
  private static final Logger LOG = LoggerFactory.getLogger(FirstRunSetup.class);
  private static final int MIN_PASSWORD = 8;
  private static final Pattern HOST = Pattern.compile("([A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.?|\\[[0-9A-Fa-f:.]+\\])(:\\d{1,5})?");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /** One service's part of the form: where its API client is made, and the keys its id and secret go to. */
  private record Service(String service, String name, String createUrl, String steps, boolean secretRequired) {
    String idKey() {
      return (service.equals("mal") ? "myanimelist" : service) + ".client_id";
    }

    String secretKey() {
      return (service.equals("mal") ? "myanimelist" : service) + ".client_secret";
    }
  }

  private static final List<Service> SERVICES = List.of(
      new Service("anilist", "AniList", "https://anilist.co/settings/developer",
          "Choose “Create New Client”, give it any name, and enter the redirect URI above as its Redirect URL.", true),
      new Service("mal", "MyAnimeList", "https://myanimelist.net/apiconfig",
          "Choose “Create ID”, App Type “web” (or “other”, which has no secret), enter the redirect URI above as App Redirect URL, "
              + "and any homepage.", false));

  private final Vertx vertx;
  private final ConfigLoader.Sources sources;
  private final String code;
  private final Runnable saved;
  private final HandlebarsTemplateEngine engine;
  private final ConfigEditor editor;
  private volatile boolean spent;

  /** {@code saved} runs once the config is written (and the answer sent): the caller starts the service then. */
  public FirstRunSetup(Vertx vertx, ConfigLoader.Sources sources, String code, Runnable saved) {
    this.vertx = vertx;
    this.sources = sources;
    this.code = code;
    this.saved = saved;
    this.engine = HandlebarsTemplateEngine.create(vertx);
    this.editor = new ConfigEditor(vertx, sources, null);
  }

  /** A new one-time code for the setup address. */
  public static String newCode() {
    return PasswordHasher.randomSecret(12);
  }

  public void register(Router router) {
    router.get(SetupPages.PATH).handler(this::show);
    router.post(SetupPages.PATH).handler(BodyHandler.create(false).setHandleFileUploads(false).setBodyLimit(16 * 1024)).handler(this::save);
  }

  private boolean codeMatches(String given) {
    return !spent && given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), code.getBytes(StandardCharsets.UTF_8));
  }

  private void show(RoutingContext ctx) {
    if (!codeMatches(ctx.request().getParam("code"))) {
      render(ctx, 200, locked());
      return;
    }
    file().onSuccess(file -> render(ctx, 200, form(ctx.request(), file, List.of(), new JsonObject()))).onFailure(ctx::fail);
  }

  /** The file as it is now (empty when it cannot be read): what it already sets is not asked again. */
  private Future<JsonObject> file() {
    return ConfigLoader.readFile(vertx, sources.file()).recover(e -> Future.succeededFuture(new JsonObject()));
  }

  /** A value the file holds for {@code path}, unless blank or still the example's placeholder. */
  private static String filled(JsonObject file, String path) {
    Object node = file;
    for (String part : path.split("\\.")) {
      node = node instanceof JsonObject o ? o.getValue(part) : null;
    }
    if (node == null && path.startsWith("myanimelist.")) return filled(file, "mal." + path.substring("myanimelist.".length()));
    String v = node == null ? null : String.valueOf(node).trim();
    return v == null || v.isEmpty() || v.startsWith("YOUR_") ? null : v;
  }

  private JsonObject locked() {
    return new JsonObject().put("title", "Set up anilist-mal-sync").put("locked", true).put("spent", spent);
  }

  /** The form: the password unless a key sets it, one section per service, the redirect URI of this browser's address. */
  private JsonObject form(HttpServerRequest request, JsonObject file, List<String> problems, JsonObject typed) {
    String passwordSetBy = setBy("web.password", file);
    JsonArray services = new JsonArray();
    int number = 3;
    for (Service s : SERVICES) {
      services.add(new JsonObject().put("service", s.service()).put("name", s.name()).put("number", number++)
          .put("createUrl", s.createUrl()).put("steps", s.steps()).put("secretRequired", s.secretRequired())
          .put("idKey", s.idKey()).put("secretKey", s.secretKey())
          .put("idSetBy", setBy(s.idKey(), null)).put("secretSetBy", setBy(s.secretKey(), null))
          .put("secretInFile", filled(file, s.secretKey()) != null)
          .put("clientId", typed.getString(s.idKey(), filled(file, s.idKey()))));
    }
    String redirect = typed.getString("redirect_uri", redirectUri(request));
    JsonObject pair = new JsonObject().put("id", "main").put("redirectUri", redirect).put("seenAs", seenAs(request)).put("services", services);
    return new JsonObject().put("title", "Set up anilist-mal-sync").put("form", true).put("code", code)
        .put("passwordSetBy", passwordSetBy).put("problems", new JsonArray(new ArrayList<>(problems)))
        .put("pairs", new JsonArray().add(pair)).put("file", sources.file().getFileName().toString());
  }

  /** "the environment variable X" when that sets the key, or the file's name when {@code file} holds it; else null. */
  private String setBy(String path, JsonObject file) {
    String by = ConfigEditor.overriddenBy(sources, path);
    if (by != null) return by;
    return file != null && filled(file, path) != null ? sources.file().getFileName().toString() : null;
  }

  private void save(RoutingContext ctx) {
    if (!codeMatches(ctx.request().getFormAttribute("code"))) {
      LOG.warn("a setup save without the setup code was refused");
      answer(ctx, 403, locked(), new JsonObject().put("saved", false)
          .put("problems", new JsonArray().add("This setup link is not valid (any more): use the one in the service log.")));
      return;
    }
    file().onSuccess(file -> save(ctx, file)).onFailure(ctx::fail);
  }

  private void save(RoutingContext ctx, JsonObject file) {
    var form = ctx.request().formAttributes();
    List<String> problems = new ArrayList<>();
    String password = form.get("password");
    boolean setPassword = setBy("web.password", file) == null;
    if (setPassword) {
      if (password == null || password.length() < MIN_PASSWORD) problems.add("The dashboard password needs at least " + MIN_PASSWORD + " characters.");
      else if (!password.equals(form.get("password2"))) problems.add("The two passwords differ: type the same one twice.");
    }
    String redirect = form.get("redirect_uri") == null ? "" : form.get("redirect_uri").trim();
    if (!validRedirect(redirect)) {
      problems.add("The redirect URI must be an http:// or https:// address ending in " + AuthVerticle.WEB_CALLBACK_PATH
          + ": the dashboard answers the sign-in there.");
    }
    JsonObject values = new JsonObject().put("oauth.redirect_uri", redirect)
        // nothing is written to either list until the first sync's preview is approved (SetupPages turns it off)
        .put("sync.dry_run", "true");
    JsonObject typed = new JsonObject().put("redirect_uri", redirect);
    for (Service s : SERVICES) {
      String id = trimmed(form.get(s.idKey()));
      String secret = trimmed(form.get(s.secretKey()));
      if (setBy(s.idKey(), null) == null) {
        if (id.isEmpty()) problems.add("Type the client id of your " + s.name() + " API client.");
        values.put(s.idKey(), id);
        typed.put(s.idKey(), id);
      }
      if (setBy(s.secretKey(), null) == null) {
        if (secret.isEmpty() && s.secretRequired() && filled(file, s.secretKey()) == null) problems.add("Type the client secret of your " + s.name() + " API client.");
        if (!secret.isEmpty()) values.put(s.secretKey(), secret);
      }
    }
    if (!problems.isEmpty()) {
      answer(ctx, 400, form(ctx.request(), file, problems, typed), refused(problems));
      return;
    }
    hostsToAllow(ctx.request())
        .compose(hosts -> {
          if (hosts != null) values.put("web.allowed_hosts", hosts);
          // the hash first: a save that is refused then leaves no new password behind
          return setPassword ? vertx.executeBlocking(() -> PasswordHasher.hash(password)) : Future.succeededFuture((String) null);
        })
        .compose(hash -> editor.save(new JsonObject().put("values", values).put("passwordConfirmed", true).put("viaApiToken", false))
            .compose(reply -> {
              if (!reply.getBoolean("saved", false)) return Future.succeededFuture(reply);
              return vertx.executeBlocking(() -> {
                if (hash != null) new FilePasswordStore(sources.dataDir().resolve(LoginPages.PASSWORD_HASH_FILE)).save(hash);
                SetupPages.markUnapproved(sources.dataDir());
                return reply;
              });
            }))
        .onSuccess(reply -> {
          if (!reply.getBoolean("saved", false)) {
            List<String> refusedBy = new ArrayList<>();
            for (Object p : reply.getJsonArray("problems", new JsonArray())) {
              JsonObject problem = (JsonObject) p;
              refusedBy.add(problem.getString("key") + ": " + problem.getString("message"));
            }
            if (refusedBy.isEmpty()) refusedBy.add(reply.getString("message", "the config was not saved"));
            answer(ctx, 400, form(ctx.request(), file, refusedBy, typed), refused(refusedBy));
            return;
          }
          spent = true;
          LOG.info("setup saved {} from the browser; starting the service", sources.file());
          String message = "Saved " + sources.file().getFileName() + ".";
          answer(ctx, 200, new JsonObject().put("title", "Set up anilist-mal-sync").put("saved", true).put("message", message),
              new JsonObject().put("saved", true).put("message", message))
              .onComplete(v -> saved.run());
        })
        .onFailure(err -> {
          LOG.error("the setup could not be saved: {}", err.toString());
          List<String> failed = List.of("The setup could not be saved (the service log has the details).");
          answer(ctx, 500, form(ctx.request(), file, failed, typed), refused(failed));
        });
  }

  private static JsonObject refused(List<String> problems) {
    return new JsonObject().put("saved", false).put("problems", new JsonArray(new ArrayList<>(problems)));
  }

  private static String trimmed(String s) {
    return s == null ? "" : s.trim();
  }

  static boolean validRedirect(String uri) {
    try {
      java.net.URI u = java.net.URI.create(uri);
      return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
          && AuthVerticle.WEB_CALLBACK_PATH.equals(u.getPath()) && u.getQuery() == null && u.getFragment() == null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The callback address as the browser reaches this server: the proxy's scheme and host when it says so
   * ({@code X-Forwarded-Proto}, {@code X-Forwarded-Host}), else the Host the browser sent.
   */
  static String redirectUri(HttpServerRequest request) {
    String proto = first(request.getHeader("X-Forwarded-Proto"));
    if (proto == null || !(proto.equalsIgnoreCase("http") || proto.equalsIgnoreCase("https"))) proto = request.isSSL() ? "https" : "http";
    return proto.toLowerCase(Locale.ROOT) + "://" + seenAs(request) + AuthVerticle.WEB_CALLBACK_PATH;
  }

  /** The host (and port) the browser used, as it sent it; localhost and the port when it sent nothing usable. */
  private static String seenAs(HttpServerRequest request) {
    String host = first(request.getHeader("X-Forwarded-Host"));
    if (host == null || !HOST.matcher(host).matches()) host = request.getHeader("Host");
    if (host == null || !HOST.matcher(host).matches()) host = "localhost:" + request.localAddress().port();
    return host;
  }

  private static String first(String header) {
    if (header == null) return null;
    String v = header.split(",", 2)[0].trim();
    return v.isEmpty() ? null : v;
  }

  /**
   * The dashboard refuses host names it was not told about (DNS rebinding): the name this browser used, when it is
   * one, joins {@code web.allowed_hosts}. Null when nothing needs adding.
   */
  private Future<String> hostsToAllow(HttpServerRequest request) {
    Set<String> names = new LinkedHashSet<>();
    for (String header : new String[] {request.getHeader("Host"), first(request.getHeader("X-Forwarded-Host"))}) {
      String name = AccessGate.hostName(header);
      if (name != null && HOST.matcher(name).matches() && !name.startsWith("[") && !IPV4.matcher(name).matches()
          && !name.equals("localhost") && !name.endsWith(".localhost")) {
        names.add(name.endsWith(".") ? name.substring(0, name.length() - 1) : name);
      }
    }
    if (names.isEmpty()) return Future.succeededFuture(null);
    return ConfigLoader.readFile(vertx, sources.file()).recover(e -> Future.succeededFuture(new JsonObject())).map(file -> {
      Set<String> all = new LinkedHashSet<>();
      Object web = file.getValue("web");
      Object listed = web instanceof JsonObject w ? w.getValue("allowed_hosts") : null;
      if (listed instanceof String s) {
        for (String n : s.split(",")) if (!n.isBlank()) all.add(n.trim().toLowerCase(Locale.ROOT));
      }
      int before = all.size();
      all.addAll(names);
      return all.size() == before ? null : String.join(",", all);
    });
  }

  /** A page for a browser, JSON for the page's script (it asks with Accept: application/json). */
  private Future<Void> answer(RoutingContext ctx, int status, JsonObject page, JsonObject json) {
    String accept = ctx.request().getHeader("Accept");
    if (accept != null && accept.contains("application/json")) {
      return ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
          .end(json.encode());
    }
    return render(ctx, status, page);
  }

  private Future<Void> render(RoutingContext ctx, int status, JsonObject model) {
    return engine.render(model, "templates/setup.hbs")
        .compose(html -> headers(ctx).setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8").end(html))
        .onFailure(ctx::fail);
  }

  /** The dashboard's headers, and no referrer at all: the address carries the setup code. */
  private static io.vertx.core.http.HttpServerResponse headers(RoutingContext ctx) {
    return ctx.response().putHeader("Content-Security-Policy", AccessGate.CSP).putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY").putHeader("Referrer-Policy", "no-referrer").putHeader("Cache-Control", "no-store");
  }
}
