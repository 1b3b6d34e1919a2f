package io.github.anilistmalsync.auth;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.bus.BusReplies;
import io.github.anilistmalsync.bus.FailureKind;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token service: holds both services' tokens ({@link TokenStore}), hands out valid ones (refreshing MAL's when
 * due, one refresh however many ask at once, and on a timer of its own), runs the sign-in (start link and OAuth
 * callback) and publishes each service's sign-in state. A missing or dead token never stops the service: it says
 * "needs sign-in", logs the start link, and waits.
 *
 * <p>Where the sign-in is served follows {@code oauth.redirect_uri}: ending in {@link #WEB_CALLBACK_PATH} (what the
 * browser setup registers), it is the web port's, so the address the browser used works behind a reverse proxy; the
 * dashboard serves it and asks here over the bus ({@link Addresses#AUTH_SIGNIN_BEGIN}, {@link
 * Addresses#AUTH_SIGNIN_FINISH}), and without the dashboard ({@code auth}, {@code --no-web-ui}) this verticle
 * listens on {@code web.port} itself. Any other redirect URI (configs from before) keeps its own server on {@code
 * oauth.port}; with the dashboard running, its callback then sends the browser back to the dashboard with the result
 * ({@link Addresses#AUTH_SIGNIN_OUTCOME}) rather than ending on a page of its own.
 *
 * <p>A sign-in begins at our own start link ({@code /start/mal} on the callback's host and port), never at an
 * authorize URL handed around: the start link binds a fresh {@code state} to a cookie in the browser that opened it
 * and then redirects to the service. The callback honours a {@code state} only from that browser, and a successful
 * sign-in ends every other attempt for the service. So nothing a log reader sees (no state, no PKCE challenge, no
 * code is ever logged) lets them finish a sign-in, and a callback replayed from another browser is refused.
 */
public class AuthVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AuthVerticle.class);
  /**
   * A MAL token this close to its expiry is refreshed (MAL's last 31 days): early enough that a week of failing
   * refreshes, or of no syncs at all, still leaves a working token.
   */
  static final Duration REFRESH_MARGIN = Duration.ofDays(7);
  /** How often the timer looks for a MAL token within {@link #REFRESH_MARGIN}, besides once at start. */
  public static final Duration REFRESH_CHECK_EVERY = Duration.ofHours(4);
  /** The cookie that binds a sign-in's {@code state} to the browser that opened the start link. */
  public static final String BINDING_COOKIE = "ams_signin";
  /** The callback's path on the web port; a redirect URI ending in it is served there. */
  public static final String WEB_CALLBACK_PATH = "/oauth/callback";
  /** The start links' path on the web port, followed by the service. */
  public static final String WEB_START_PATH = "/oauth/start/";
  static final Duration ATTEMPT_LIFETIME = Duration.ofMinutes(10);
  static final List<Integer> WARN_DAYS = List.of(30, 7, 1);

  /** A sign-in started and not yet called back, and the browser (its binding cookie) that started it. */
  private record Attempt(String service, String verifier, String binding, Instant started) {}

  /**
   * How a callback ended, in words for the person who signed in (never a code, state or token); {@code link} is
   * where a page of ours sends them next, {@code at} when, so kept outcomes expire.
   */
  private record Outcome(String service, boolean signedIn, int status, String title, String message, String link, String linkText,
                         Instant at) {
    JsonObject toJson() {
      return new JsonObject().put("service", service).put("signedIn", signedIn).put("message", message);
    }
  }

  private final Map<String, OAuthClient> clients = new HashMap<>();
  private final Map<String, TokenStore.Token> tokens = new LinkedHashMap<>();
  private final Map<String, Future<TokenStore.Token>> refreshing = new HashMap<>();
  private final Map<String, Attempt> attempts = new HashMap<>();
  private final Map<String, Integer> warned = new HashMap<>();
  /** Outcomes of callbacks on our own server, by the browser's binding, until the dashboard shows them. */
  private final Map<String, Outcome> outcomes = new HashMap<>();
  private TokenStore store;
  private HttpServer callbackServer;
  private String callbackPath;
  private String startPath;
  private String origin;
  private String dashboardOrigin;
  private boolean secureCookie;
  /** The sign-in is served on the web port (the redirect URI ends in {@link #WEB_CALLBACK_PATH}). */
  private boolean onWebPort;
  /** The dashboard runs beside this verticle (it then serves the web port's sign-in, and shows results). */
  private boolean webUi;
  private final Duration refreshCheckEvery;

  public AuthVerticle() {
    this(REFRESH_CHECK_EVERY);
  }

  /** {@code refreshCheckEvery}: how often to look for a MAL token due for refresh (tests use a short one). */
  public AuthVerticle(Duration refreshCheckEvery) {
    this.refreshCheckEvery = refreshCheckEvery;
  }

  @Override
  public Future<?> start() {
    AppConfig config = AppConfig.of(config());
    store = new TokenStore(vertx, config.tokenFile());
    clients.put("anilist", new OAuthClient(vertx, config, "anilist"));
    clients.put("mal", new OAuthClient(vertx, config, "mal"));
    URI redirect = URI.create(config.string("oauth.redirect_uri"));
    onWebPort = callbackOnWebPort(config);
    webUi = config.json().getBoolean(AppConfig.WEB_UI, false);
    callbackPath = redirect.getPath() == null || redirect.getPath().isEmpty() ? "/callback" : redirect.getPath();
    startPath = onWebPort ? WEB_START_PATH : "/start/";
    origin = redirect.getScheme() + "://" + redirect.getRawAuthority();
    secureCookie = "https".equalsIgnoreCase(redirect.getScheme());
    // the browser that reaches the callback reaches this host; the dashboard listens on web.port there
    dashboardOrigin = onWebPort ? origin
        : redirect.getScheme() + "://" + (redirect.getHost().contains(":") ? "[" + redirect.getHost() + "]" : redirect.getHost())
            + ":" + config.integer("web.port");
    Router router = Router.router(vertx);
    router.get(callbackPath).handler(this::callback);
    router.get(startPath + ":service").handler(this::startInBrowser);
    String serverKey = ownServerKey(config, webUi);
    var bus = vertx.eventBus();
    return store.load()
        .compose(loaded -> {
          tokens.putAll(loaded);
          if (serverKey == null) return Future.succeededFuture(null);
          return vertx.createHttpServer().requestHandler(router).listen(config.integer(serverKey), config.string("web.host"));
        })
        .compose(server -> {
          callbackServer = server;
          return Future.all(List.of(
              bus.consumer(Addresses.AUTH_PING, msg -> msg.reply(new JsonObject().put("verticle", "auth"))).completion(),
              bus.<JsonObject>consumer(Addresses.AUTH_TOKEN_GET, msg -> BusReplies.answer(msg, body -> get(service(body)).map(this::reply))).completion(),
              bus.<JsonObject>consumer(Addresses.AUTH_TOKEN_REFRESH, msg -> BusReplies.answer(msg, body ->
                  afterRejection(service(body), body.getString("rejectedToken")).map(this::reply))).completion(),
              bus.<JsonObject>consumer(Addresses.AUTH_SIGNIN_START, msg -> BusReplies.answer(msg, body ->
                  Future.succeededFuture(new JsonObject().put("startUrl", startUrl(service(body)))))).completion(),
              bus.<JsonObject>consumer(Addresses.AUTH_SIGNIN_BEGIN, msg -> BusReplies.answer(msg, this::beginForWeb)).completion(),
              bus.<JsonObject>consumer(Addresses.AUTH_SIGNIN_FINISH, msg -> BusReplies.answer(msg, body -> finish(body.getString("state"),
                  body.getString("binding"), body.getString("code"), body.getString("error"), body.getString("errorDescription"))
                  .map(Outcome::toJson))).completion(),
              bus.<JsonObject>consumer(Addresses.AUTH_SIGNIN_OUTCOME, msg -> BusReplies.answer(msg, body -> {
                Outcome kept = body.getString("binding") == null ? null : outcomes.remove(body.getString("binding"));
                return Future.succeededFuture(kept == null ? new JsonObject() : kept.toJson());
              })).completion(),
              bus.<JsonObject>consumer(Addresses.AUTH_STATUS, msg -> msg.reply(status())).completion()));
        })
        .onSuccess(v -> {
          for (String service : clients.keySet()) {
            if (!tokens.containsKey(service)) needsSignIn(service, "no token yet");
          }
          checkExpiry();
          for (String service : clients.keySet()) {
            io.micrometer.core.instrument.Gauge.builder(io.github.anilistmalsync.metrics.ServiceMetrics.TOKEN_DAYS_LEFT, tokens, t -> {
                  TokenStore.Token token = t.get(service);
                  Long left = token == null ? null : daysLeft(token);
                  return left == null ? (token == null ? -1 : Double.NaN) : left;
                })
                .tag("service", service)
                .register(io.micrometer.core.instrument.Metrics.globalRegistry);
          }
          vertx.setPeriodic(Duration.ofHours(12).toMillis(), id -> checkExpiry());
          refreshIfDue();
          vertx.setPeriodic(refreshCheckEvery.toMillis(), id -> refreshIfDue());
        });
  }

  @Override
  public Future<?> stop() {
    clients.values().forEach(OAuthClient::close);
    return callbackServer == null ? Future.succeededFuture() : callbackServer.close();
  }

  /** The start link a person opens to sign in to {@code service}; it holds nothing secret. */
  String startUrl(String service) {
    return origin + startPath + service;
  }

  /** The port the callback server listens on (tests configure port 0). */
  public int callbackPort() {
    return callbackServer.actualPort();
  }

  /** Whether {@code oauth.redirect_uri} names the web port's callback ({@link #WEB_CALLBACK_PATH}). */
  public static boolean callbackOnWebPort(AppConfig config) {
    String uri = config.string("oauth.redirect_uri");
    try {
      return uri != null && WEB_CALLBACK_PATH.equals(URI.create(uri).getPath());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The key of the port this verticle listens on itself: {@code oauth.port} for a redirect URI of before, {@code
   * web.port} when the web port's sign-in has no dashboard to serve it, null when the dashboard serves it.
   */
  public static String ownServerKey(AppConfig config, boolean webUi) {
    if (!callbackOnWebPort(config)) return "oauth.port";
    return webUi ? null : "web.port";
  }

  private static String service(JsonObject body) {
    String s = body.getString("service", "");
    if (!s.equals("anilist") && !s.equals("mal")) throw new IllegalArgumentException("service must be anilist or mal, not '" + s + "'");
    return s;
  }

  private JsonObject reply(TokenStore.Token t) {
    return new JsonObject().put("accessToken", t.accessToken()).put("expiresAt", t.expiresAt() == null ? null : t.expiresAt().toString());
  }

  /**
   * A token believed valid: MAL's is refreshed first when it expires within {@link #REFRESH_MARGIN}. When that
   * refresh fails for a reason that says nothing about the refresh token and the old access token has not expired
   * yet, the old one is handed out: a bad minute at the token endpoint costs nothing.
   */
  private Future<TokenStore.Token> get(String service) {
    TokenStore.Token t = tokens.get(service);
    if (t == null) return Future.failedFuture(signInNeeded(service));
    Instant now = Instant.now();
    boolean expired = t.expiresAt() != null && !now.isBefore(t.expiresAt());
    if (!service.equals("mal") || t.refreshToken() == null) {
      return expired ? Future.failedFuture(signInNeeded(service)) : Future.succeededFuture(t);
    }
    if (!due(t, now)) return Future.succeededFuture(t);
    return refresh(service).recover(e -> {
      TokenStore.Token still = tokens.get(service);
      boolean kept = ServiceException.from(e).kind() != FailureKind.AUTH_EXPIRED && still != null
          && (still.expiresAt() == null || Instant.now().isBefore(still.expiresAt()));
      return kept ? Future.succeededFuture(still) : Future.failedFuture(e);
    });
  }

  private static boolean due(TokenStore.Token t, Instant now) {
    return t.refreshToken() != null && t.expiresAt() != null && now.plus(REFRESH_MARGIN).isAfter(t.expiresAt());
  }

  /** The timer's check: a MAL token within the margin is refreshed even if no sync asks for it. */
  private void refreshIfDue() {
    TokenStore.Token t = tokens.get("mal");
    if (t == null || !due(t, Instant.now())) return;
    refresh("mal").onFailure(e -> LOG.debug("timed MyAnimeList refresh did not succeed: {}", e.getMessage()));
  }

  /** The upstream refused {@code rejected}. If a newer token exists already, that one; else one refresh (MAL). */
  private Future<TokenStore.Token> afterRejection(String service, String rejected) {
    TokenStore.Token t = tokens.get(service);
    if (t != null && rejected != null && !t.accessToken().equals(rejected)) return Future.succeededFuture(t);
    if (t == null || !service.equals("mal")) {
      if (t != null) {
        tokens.remove(service);
        persist();
      }
      return Future.failedFuture(signInNeeded(service));
    }
    return refresh(service);
  }

  /** Exactly one refresh request per service at a time; everyone asking meanwhile gets its result. */
  private Future<TokenStore.Token> refresh(String service) {
    Future<TokenStore.Token> running = refreshing.get(service);
    if (running != null) return running;
    TokenStore.Token current = tokens.get(service);
    Future<TokenStore.Token> result = clients.get(service).refresh(current)
        .compose(fresh -> {
          tokens.put(service, fresh);
          LOG.info("{}: token refreshed, valid until {}", clients.get(service).label(), fresh.expiresAt());
          publish(service, "signedIn", null);
          return persist().map(fresh);
        })
        .recover(e -> {
          ServiceException se = ServiceException.from(e);
          if (se.kind() != FailureKind.AUTH_EXPIRED) {
            LOG.warn("{}", se.getMessage());
            return Future.failedFuture(se);
          }
          LOG.warn("{}", se.getMessage());
          tokens.remove(service);
          return persist().transform(ignored -> Future.<TokenStore.Token>failedFuture(signInNeeded(service)));
        })
        .eventually(() -> {
          refreshing.remove(service);
          return Future.succeededFuture();
        });
    refreshing.put(service, result);
    return result;
  }

  private Future<Void> persist() {
    return store.save(new LinkedHashMap<>(tokens)).recover(e -> {
      LOG.error("could not save the tokens to {}: {}", store.file(), e.getMessage());
      return Future.succeededFuture();
    });
  }

  private ServiceException signInNeeded(String service) {
    needsSignIn(service, "the token is missing, expired or was refused");
    return new ServiceException(FailureKind.AUTH_EXPIRED, clients.get(service).label() + " needs sign-in");
  }

  /** Logs where to sign in: our start link only, never an authorize URL (its state and challenge finish a sign-in). */
  private void needsSignIn(String service, String why) {
    LOG.warn("{} needs sign-in ({}): open {} in your browser (or use Connect on the dashboard's Accounts page)",
        clients.get(service).label(), why, startUrl(service));
    publish(service, "needsSignIn", null);
  }

  /**
   * {@code GET /start/:service}: a new attempt (fresh state, fresh PKCE verifier) bound to this browser's cookie,
   * then a redirect to the service's authorize page. The browser keeps its binding across attempts, so it can sign
   * in to both services at once.
   */
  private void startInBrowser(RoutingContext ctx) {
    String service = ctx.pathParam("service");
    if (!clients.containsKey(service)) {
      page(ctx, 404, "Unknown service", "There is no sign-in for '" + service + "': use " + startPath + "anilist or " + startPath + "mal.", null, null);
      return;
    }
    io.vertx.core.http.Cookie existing = ctx.request().getCookie(BINDING_COOKIE);
    String binding = binding(existing == null ? null : existing.getValue());
    String authorize = begin(service, binding);
    ctx.response().addCookie(io.vertx.core.http.Cookie.cookie(BINDING_COOKIE, binding).setPath("/").setHttpOnly(true)
        .setSecure(secureCookie).setSameSite(io.vertx.core.http.CookieSameSite.LAX).setMaxAge(ATTEMPT_LIFETIME.toSeconds()));
    ctx.response().setStatusCode(302)
        .putHeader("Location", authorize)
        .putHeader("Cache-Control", "no-store")
        .putHeader("Referrer-Policy", "no-referrer")
        .end();
  }

  /** The browser's binding if it is one of ours, else a new one. */
  private static String binding(String given) {
    return given != null && given.matches("[A-Za-z0-9._~-]{64}") ? given : OAuthClient.randomToken();
  }

  /** A new attempt (fresh state, fresh PKCE verifier) bound to {@code binding}; answers the authorize URL. */
  private String begin(String service, String binding) {
    Instant now = Instant.now();
    attempts.values().removeIf(a -> a.started().plus(ATTEMPT_LIFETIME).isBefore(now));
    String state = OAuthClient.randomToken();
    String verifier = OAuthClient.randomToken();
    attempts.put(state, new Attempt(service, verifier, binding, now));
    return clients.get(service).authorizeUrl(state, verifier);
  }

  /**
   * {@link Addresses#AUTH_SIGNIN_BEGIN}: for the web port's start link, the authorize URL and the binding the
   * dashboard sets as {@link #BINDING_COOKIE}; when the callback is on {@code oauth.port}, only that server's start
   * link (it sets the cookie on the callback's own host).
   */
  private Future<JsonObject> beginForWeb(JsonObject body) {
    String service = service(body);
    if (!onWebPort) return Future.succeededFuture(new JsonObject().put("startUrl", startUrl(service)));
    String binding = binding(body.getString("binding"));
    return Future.succeededFuture(new JsonObject().put("authorizeUrl", begin(service, binding)).put("binding", binding)
        .put("secure", secureCookie).put("maxAgeSeconds", ATTEMPT_LIFETIME.toSeconds()));
  }

  /**
   * Our own server's callback: the outcome as a page, or, with the dashboard running and a browser we know, kept for
   * the dashboard and the browser sent there ({@code /oauth/done}), so a sign-in never ends on a page of its own.
   */
  private void callback(RoutingContext ctx) {
    io.vertx.core.http.Cookie cookie = ctx.request().getCookie(BINDING_COOKIE);
    String binding = cookie == null ? null : cookie.getValue();
    finish(ctx.request().getParam("state"), binding, ctx.request().getParam("code"), ctx.request().getParam("error"),
        ctx.request().getParam("error_description"))
        .onSuccess(outcome -> {
          if (webUi && binding != null && !onWebPort) {
            Instant now = Instant.now();
            outcomes.values().removeIf(o -> o.at().plus(ATTEMPT_LIFETIME).isBefore(now));
            outcomes.put(binding, outcome);
            ctx.response().setStatusCode(303).putHeader("Location", dashboardOrigin + "/oauth/done")
                .putHeader("Cache-Control", "no-store").putHeader("Referrer-Policy", "no-referrer").end();
          } else {
            page(ctx, outcome.status(), outcome.title(), outcome.message(), outcome.link(), outcome.linkText());
          }
        })
        .onFailure(ctx::fail);
  }

  /**
   * Ends a sign-in: the {@code state} must be a live attempt started by the browser holding {@code binding}; then the
   * service's answer (an error, or a code exchanged for a token). Every way it can end is an outcome in words.
   */
  private Future<Outcome> finish(String state, String binding, String code, String error, String description) {
    Attempt attempt = state == null ? null : attempts.get(state);
    if (attempt == null || attempt.started().plus(ATTEMPT_LIFETIME).isBefore(Instant.now())) {
      if (state != null) attempts.remove(state);
      return Future.succeededFuture(failed(null, 400, "This sign-in is unknown, was already used or has expired. Start again from the "
          + "dashboard's Connect button or with the auth command."));
    }
    if (binding == null || !java.security.MessageDigest.isEqual(
        binding.getBytes(java.nio.charset.StandardCharsets.UTF_8), attempt.binding().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
      // left in place: the browser that did start it can still finish
      LOG.warn("a {} sign-in callback came from a browser that did not start it; refused", clients.get(attempt.service()).label());
      return Future.succeededFuture(new Outcome(attempt.service(), false, 403, "Sign-in refused", "This sign-in was started in another "
          + "browser, so it cannot be finished here. Open " + startUrl(attempt.service()) + " in this browser to sign in.",
          startUrl(attempt.service()), "Sign in from this browser", Instant.now()));
    }
    attempts.remove(state);
    OAuthClient client = clients.get(attempt.service());
    if (error != null) {
      LOG.warn("{} sign-in was refused: {}", client.label(), error);
      return Future.succeededFuture(failed(attempt.service(), 400, client.label() + " answered: " + error
          + (description == null ? "" : " (" + description + ")")));
    }
    if (code == null) return Future.succeededFuture(failed(attempt.service(), 400, client.label() + " sent no authorization code."));
    return client.exchange(code, attempt.verifier())
        .compose(token -> {
          tokens.put(attempt.service(), token);
          warned.remove(attempt.service());
          // every other attempt at this service ends here: an old state (from a log, a history, a replay) is worthless
          attempts.values().removeIf(a -> a.service().equals(attempt.service()));
          return persist().map(token);
        })
        .map(token -> {
          LOG.info("signed in to {}; the token is valid until {}", client.label(), token.expiresAt());
          publish(attempt.service(), "signedIn", null);
          return new Outcome(attempt.service(), true, 200, "Signed in", "Signed in to " + client.label() + ".", dashboardOrigin + "/accounts",
              "Back to the dashboard", Instant.now());
        })
        .recover(e -> {
          LOG.warn("{} sign-in failed: {}", client.label(), e.getMessage());
          return Future.succeededFuture(failed(attempt.service(), 400, client.label() + " sign-in failed: " + e.getMessage()));
        });
  }

  private Outcome failed(String service, int status, String message) {
    return new Outcome(service, false, status, "Sign-in failed", message, dashboardOrigin + "/accounts", "Back to the dashboard", Instant.now());
  }

  private static void page(RoutingContext ctx, int status, String title, String message, String link, String linkText) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
        .putHeader("Cache-Control", "no-store")
        .putHeader("Referrer-Policy", "no-referrer")
        .end("<!doctype html><html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title></head><body style=\"font-family:sans-serif\">"
            + "<h1>" + escape(title) + "</h1><p>" + escape(message) + (link == null ? "" : " — <a href=\"" + escape(link) + "\">" + escape(linkText) + "</a>")
            + "</p></body></html>");
  }

  static String escape(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
  }

  private JsonObject status() {
    JsonArray services = new JsonArray();
    for (String service : clients.keySet()) {
      TokenStore.Token t = tokens.get(service);
      JsonObject s = new JsonObject().put("service", service);
      if (t == null) {
        s.put("state", "needsSignIn");
      } else {
        s.put("state", daysLeft(t) != null && daysLeft(t) <= 30 && service.equals("anilist") ? "expiring" : "signedIn");
        s.put("expiresAt", t.expiresAt() == null ? null : t.expiresAt().toString());
        s.put("daysLeft", daysLeft(t));
      }
      services.add(s);
    }
    return new JsonObject().put("services", services);
  }

  private static Long daysLeft(TokenStore.Token t) {
    return t.expiresAt() == null ? null : Duration.between(Instant.now(), t.expiresAt()).toDays();
  }

  /** AniList tokens cannot be refreshed: warn 30, 7 and 1 days before one expires. */
  private void checkExpiry() {
    TokenStore.Token t = tokens.get("anilist");
    if (t == null || t.expiresAt() == null) return;
    long left = daysLeft(t);
    for (int threshold : WARN_DAYS) {
      if (left <= threshold && warned.getOrDefault("anilist", Integer.MAX_VALUE) > threshold) {
        warned.put("anilist", threshold);
        LOG.warn("the AniList token expires in {} day(s) ({}); sign in again before then", left, t.expiresAt());
        publish("anilist", "expiring", left);
      }
    }
  }

  private void publish(String service, String state, Long daysLeft) {
    JsonObject event = new JsonObject().put("service", service).put("state", state);
    if (daysLeft != null) event.put("daysLeft", daysLeft);
    vertx.eventBus().publish(Addresses.AUTH_STATE, event);
  }
}
