package io.github.anilistmalsync.web;

import io.github.anilistmalsync.config.AppConfig;
import io.github.anilistmalsync.files.AtomicFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.sstore.SessionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signing in and out, with the throttle on failed logins, and the dashboard password behind them: generated at the
 * first start when none is configured, hashed, upgraded to today's settings, replaced by a config reload.
 */
final class LoginPages {
  private static final Logger LOG = LoggerFactory.getLogger(LoginPages.class);

  static final String INITIAL_PASSWORD_FILE = "initial-password";
  static final String PASSWORD_HASH_FILE = "web-password.hash";

  private final Vertx vertx;
  private final Pages pages;
  private final AccessGate gate;
  private final SessionStore sessions;
  private final LoginThrottle throttle;
  private final PasswordStore passwordStore;
  /** The hash logins are checked against; replaced (as a Future) when a config reload changes the password. */
  private Future<String> passwordHash;
  /** Counts password changes, so a login checked against a replaced password opens no session. */
  private int passwordGeneration;

  LoginPages(Vertx vertx, Pages pages, AccessGate gate, SessionStore sessions, WebTuning tuning) {
    this.vertx = vertx;
    this.pages = pages;
    this.gate = gate;
    this.sessions = sessions;
    this.throttle = new LoginThrottle(tuning.maxFailures(), tuning.lockoutMs(), tuning.failureDelayMs());
    this.passwordStore = new FilePasswordStore(pages.config().dataDir().resolve(PASSWORD_HASH_FILE));
  }

  /**
   * Readies the hash logins are checked against (see {@link #preparePassword}). Checking a stored hash against
   * web.password is 600,000 PBKDF2 rounds: done while the server already answers (a login waits for it, nothing else
   * does); only a first start, with no hash yet, waits for it, so the generated password's file is there once the
   * dashboard answers.
   */
  Future<Void> start() {
    return vertx.executeBlocking(passwordStore::load).compose(stored -> {
      passwordHash = vertx.executeBlocking(() -> preparePassword(passwordStore));
      passwordHash.onFailure(e -> LOG.error("could not prepare the dashboard password: {}", e.toString()));
      return stored.isPresent() ? Future.succeededFuture() : passwordHash.mapEmpty();
    });
  }

  void register(Router router) {
    router.get("/login").handler(this::showLogin);
    router.post("/login").handler(this::login);
    router.post("/logout").handler(this::logout);
  }

  private void showLogin(RoutingContext ctx) {
    // only a browser that already has a session can be logged in; anyone else gets no stored session
    if (ctx.request().getCookie(AccessGate.SESSION_COOKIE) != null && ctx.session() != null
        && ctx.session().get(AccessGate.USER_KEY) != null) {
      ctx.redirect("/");
      return;
    }
    pages.render(ctx, 200, "login", loginModel(ctx, null));
  }

  private JsonObject loginModel(RoutingContext ctx, String problem) {
    return new JsonObject()
        .put("title", "Sign in")
        .put("csrfToken", gate.loginCsrfToken(ctx))
        .put("demo", pages.config().demo())
        .put("problem", problem)
        .put("generatedPassword", pages.config().string("web.password") == null);
  }

  private void login(RoutingContext ctx) {
    String client = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().host();
    // counted before the password is checked: parallel guesses cannot all be checked
    long lockedFor = throttle.begin(client, System.currentTimeMillis());
    if (lockedFor > 0) {
      long seconds = (lockedFor + 999) / 1000;
      ctx.response().putHeader("Retry-After", String.valueOf(seconds));
      pages.render(ctx, 429, "login", loginModel(ctx, "Too many failed attempts. Try again in " + seconds + " s."));
      return;
    }
    String password = ctx.request().getFormAttribute("password");
    int generation = passwordGeneration;
    passwordHash.compose(hash -> vertx.executeBlocking(() -> PasswordHasher.verify(password, hash)))
        .map(ok -> ok && generation == passwordGeneration)
        .onSuccess(ok -> {
          long delay = throttle.finish(client, ok);
          if (ok) {
            upgradeHash(password);
            Session session = ctx.session();
            session.regenerateId();
            session.put(AccessGate.USER_KEY, "admin");
            session.put(AccessGate.CSRF_KEY, PasswordHasher.randomSecret(24));
            LOG.info("dashboard login from {}", client);
            ctx.redirect("/");
          } else {
            LOG.warn("refused dashboard login from {}", client);
            vertx.setTimer(Math.max(1, delay),
                t -> pages.render(ctx, 401, "login", loginModel(ctx, "Wrong password.")));
          }
        })
        .onFailure(err -> {
          throttle.finish(client, false);
          ctx.fail(err);
        });
  }

  /** Re-hashes the password with today's settings when the stored hash is older; logins keep working meanwhile. */
  private void upgradeHash(String password) {
    Future<String> current = passwordHash;
    current.onSuccess(hash -> {
      if (!PasswordHasher.needsUpgrade(hash)) {
        return;
      }
      Future<String> upgraded = vertx.executeBlocking(() -> {
        String stronger = PasswordHasher.hash(password);
        passwordStore.save(stronger);
        return stronger;
      });
      passwordHash = upgraded
          .onSuccess(h -> LOG.info("dashboard password hash upgraded to today's settings"))
          .recover(err -> {
            LOG.error("could not store the upgraded dashboard password hash: {}", err.toString());
            return current;
          });
    });
  }

  private void logout(RoutingContext ctx) {
    Session session = ctx.session();
    if (session != null) {
      session.destroy();
    }
    ctx.redirect("/login");
  }

  /**
   * Returns the stored hash, after hashing {@code web.password} when configured, or after generating a password
   * into {@code DATA_DIR/initial-password} when there is neither. Blocking.
   */
  private String preparePassword(PasswordStore store) throws Exception {
    AppConfig config = pages.config();
    String configured = config.string("web.password");
    if (configured != null && !configured.isEmpty()) {
      var stored = store.load();
      if (stored.isPresent() && PasswordHasher.verify(configured, stored.get())) {
        return stored.get();
      }
      String hash = PasswordHasher.hash(configured);
      store.save(hash);
      return hash;
    }
    var stored = store.load();
    if (stored.isPresent()) {
      return stored.get();
    }
    Path file = config.dataDir().resolve(INITIAL_PASSWORD_FILE);
    if (!Files.isDirectory(config.dataDir())) AtomicFiles.createPrivateDirectory(config.dataDir().toAbsolutePath());
    String password = PasswordHasher.randomSecret(18);
    AtomicFiles.write(file, password + "\n");
    String hash = PasswordHasher.hash(password);
    store.save(hash);
    LOG.warn("no web.password configured: generated a dashboard password, readable in {} (mode 0600)",
        file.toAbsolutePath());
    return hash;
  }

  /** After a config reload: a changed password is hashed off the event loop and logins wait for it; host and port changes need a restart. */
  void configChanged(AppConfig before, AppConfig after) {
    String oldPassword = before.string("web.password");
    String newPassword = after.string("web.password");
    if (newPassword != null && !newPassword.isEmpty() && !newPassword.equals(oldPassword)) {
      // whoever knew the old password is out: every session ends, and logins checked against it are void
      passwordGeneration++;
      if (sessions != null) {
        sessions.clear().onSuccess(v -> LOG.info("dashboard password changed: every session ended"));
      }
      Future<String> previous = passwordHash;
      passwordHash = vertx.executeBlocking(() -> preparePassword(passwordStore))
          .onSuccess(h -> LOG.info("dashboard password changed by a config reload"))
          .recover(err -> {
            LOG.error("could not store the new dashboard password hash: {}", err.toString());
            return previous;
          });
    }
  }
}
