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
 * due, one refresh however many ask at once, and on a timer of its own), runs the OAuth server on {@code oauth.port}
 * (outside the dashboard login) and publishes each service's sign-in state. A missing or dead token never stops the
 * service: it says "needs sign-in", logs the start link, and waits.
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
  static final String BINDING_COOKIE = "ams_signin";
  static final Duration ATTEMPT_LIFETIME = Duration.ofMinutes(10);
  static final List<Integer> WARN_DAYS = List.of(30, 7, 1);

  /** A sign-in started and not yet called back, and the browser (its binding cookie) that started it. */
  private record Attempt(String service, String verifier, String binding, Instant started) {}

  private final Map<String, OAuthClient> clients = new HashMap<>();
  private final Map<String, TokenStore.Token> tokens = new LinkedHashMap<>();
  private final Map<String, Future<TokenStore.Token>> refreshing = new HashMap<>();
  private final Map<String, Attempt> attempts = new HashMap<>();
  private final Map<String, Integer> warned = new HashMap<>();
  private TokenStore store;
  private HttpServer callbackServer;
  private String callbackPath;
  private String origin;
  private String dashboardUrl;
  private boolean secureCookie;
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
    callbackPath = redirect.getPath() == null || redirect.getPath().isEmpty() ? "/callback" : redirect.getPath();
    origin = redirect.getScheme() + "://" + redirect.getRawAuthority();
    secureCookie = "https".equalsIgnoreCase(redirect.getScheme());
    // the browser that reaches the callback reaches this host; the dashboard listens on web.port there
    dashboardUrl = redirect.getScheme() + "://" + (redirect.getHost().contains(":") ? "[" + redirect.getHost() + "]" : redirect.getHost())
        + ":" + config.integer("web.port") + "/accounts";
    Router router = Router.router(vertx);
    router.get(callbackPath).handler(this::callback);
    router.get("/start/:service").handler(this::startInBrowser);
    var bus = vertx.eventBus();
    return store.load()
        .compose(loaded -> {
          tokens.putAll(loaded);
          return vertx.createHttpServer().requestHandler(router).listen(config.integer("oauth.port"), config.string("web.host"));
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
    return origin + "/start/" + service;
  }

  /** The port the callback server listens on (tests configure port 0). */
  public int callbackPort() {
    return callbackServer.actualPort();
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
      page(ctx, 404, "Unknown service", "There is no sign-in for '" + service + "': use /start/anilist or /start/mal.", null, null);
      return;
    }
    io.vertx.core.http.Cookie existing = ctx.request().getCookie(BINDING_COOKIE);
    String binding = existing != null && existing.getValue().matches("[A-Za-z0-9._~-]{64}") ? existing.getValue() : OAuthClient.randomToken();
    Instant now = Instant.now();
    attempts.values().removeIf(a -> a.started().plus(ATTEMPT_LIFETIME).isBefore(now));
    String state = OAuthClient.randomToken();
    String verifier = OAuthClient.randomToken();
    attempts.put(state, new Attempt(service, verifier, binding, now));
    ctx.response().addCookie(io.vertx.core.http.Cookie.cookie(BINDING_COOKIE, binding).setPath("/").setHttpOnly(true)
        .setSecure(secureCookie).setSameSite(io.vertx.core.http.CookieSameSite.LAX).setMaxAge(ATTEMPT_LIFETIME.toSeconds()));
    ctx.response().setStatusCode(302)
        .putHeader("Location", clients.get(service).authorizeUrl(state, verifier))
        .putHeader("Cache-Control", "no-store")
        .putHeader("Referrer-Policy", "no-referrer")
        .end();
  }

  private void callback(RoutingContext ctx) {
    String state = ctx.request().getParam("state");
    Attempt attempt = state == null ? null : attempts.get(state);
    if (attempt == null || attempt.started().plus(ATTEMPT_LIFETIME).isBefore(Instant.now())) {
      if (state != null) attempts.remove(state);
      page(ctx, 400, "Sign-in failed", "This sign-in is unknown, was already used or has expired. Start again from the dashboard's "
          + "Accounts page or with the auth command.", dashboardUrl, "Back to the dashboard");
      return;
    }
    io.vertx.core.http.Cookie cookie = ctx.request().getCookie(BINDING_COOKIE);
    if (cookie == null || !java.security.MessageDigest.isEqual(
        cookie.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8), attempt.binding().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
      // left in place: the browser that did start it can still finish
      LOG.warn("a {} sign-in callback came from a browser that did not start it; refused", clients.get(attempt.service()).label());
      page(ctx, 403, "Sign-in refused", "This sign-in was started in another browser, so it cannot be finished here. Open "
          + startUrl(attempt.service()) + " in this browser to sign in.", startUrl(attempt.service()), "Sign in from this browser");
      return;
    }
    attempts.remove(state);
    OAuthClient client = clients.get(attempt.service());
    String error = ctx.request().getParam("error");
    if (error != null) {
      String description = ctx.request().getParam("error_description");
      LOG.warn("{} sign-in was refused: {}", client.label(), error);
      page(ctx, 400, "Sign-in failed", client.label() + " answered: " + error + (description == null ? "" : " (" + description + ")"),
          dashboardUrl, "Back to the dashboard");
      return;
    }
    String code = ctx.request().getParam("code");
    if (code == null) {
      page(ctx, 400, "Sign-in failed", client.label() + " sent no authorization code.", dashboardUrl, "Back to the dashboard");
      return;
    }
    client.exchange(code, attempt.verifier())
        .compose(token -> {
          tokens.put(attempt.service(), token);
          warned.remove(attempt.service());
          // every other attempt at this service ends here: an old state (from a log, a history, a replay) is worthless
          attempts.values().removeIf(a -> a.service().equals(attempt.service()));
          return persist().map(token);
        })
        .onSuccess(token -> {
          LOG.info("signed in to {}; the token is valid until {}", client.label(), token.expiresAt());
          publish(attempt.service(), "signedIn", null);
          page(ctx, 200, "Signed in", "Signed in to " + client.label() + ".", dashboardUrl, "Back to the dashboard");
        })
        .onFailure(e -> {
          LOG.warn("{} sign-in failed: {}", client.label(), e.getMessage());
          page(ctx, 400, "Sign-in failed", e.getMessage(), dashboardUrl, "Back to the dashboard");
        });
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
