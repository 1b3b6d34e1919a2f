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
 * ({@link Addresses#AUTH_SIGNIN_OUTCOME}) rather than ending on a page of its own. The start links, the attempts and
 * the callback are {@link SignInFlow}'s; this class holds the tokens and the timers.
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
  static final List<Integer> WARN_DAYS = List.of(30, 7, 1);


  private final Map<String, OAuthClient> clients = new HashMap<>();
  private final Map<String, TokenStore.Token> tokens = new LinkedHashMap<>();
  private final Map<String, Future<TokenStore.Token>> refreshing = new HashMap<>();
  private final Map<String, Integer> warned = new HashMap<>();
  private TokenStore store;
  private SignInFlow signIn;
  private HttpServer callbackServer;
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
    boolean webUi = config.json().getBoolean(AppConfig.WEB_UI, false);
    signIn = new SignInFlow(config, clients, webUi, this::keepSignedIn, service -> publish(service, "signedIn", null));
    Router router = Router.router(vertx);
    signIn.register(router);
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
                  Future.succeededFuture(new JsonObject().put("startUrl", signIn.startUrl(service(body)))))).completion(),
              bus.<JsonObject>consumer(Addresses.AUTH_SIGNIN_BEGIN, msg -> BusReplies.answer(msg, body ->
                  signIn.beginForWeb(service(body), body.getString("binding")))).completion(),
              bus.<JsonObject>consumer(Addresses.AUTH_SIGNIN_FINISH, msg -> BusReplies.answer(msg, body -> signIn.finish(body.getString("state"),
                  body.getString("binding"), body.getString("code"), body.getString("error"), body.getString("errorDescription"))
                  .map(SignInFlow.Outcome::toJson))).completion(),
              bus.<JsonObject>consumer(Addresses.AUTH_SIGNIN_OUTCOME, msg -> BusReplies.answer(msg, body ->
                  Future.succeededFuture(signIn.takeOutcome(body.getString("binding"))))).completion(),
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

  /** A sign-in's new token: kept, saved, and no expiry warned about yet. */
  private Future<Void> keepSignedIn(String service, TokenStore.Token token) {
    tokens.put(service, token);
    warned.remove(service);
    return persist();
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
        clients.get(service).label(), why, signIn.startUrl(service));
    publish(service, "needsSignIn", null);
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