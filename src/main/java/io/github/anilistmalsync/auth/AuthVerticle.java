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
 * due, one refresh however many ask at once), runs the OAuth callback server on {@code oauth.port} (outside the
 * dashboard login, guarded by a fresh {@code state} per attempt) and publishes each service's sign-in state. A
 * missing or dead token never stops the service: it says "needs sign-in", logs where to sign in, and waits.
 */
public class AuthVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AuthVerticle.class);
  /** A MAL token this close to its expiry is refreshed before it is handed out. */
  static final Duration REFRESH_MARGIN = Duration.ofMinutes(5);
  static final Duration ATTEMPT_LIFETIME = Duration.ofMinutes(10);
  static final List<Integer> WARN_DAYS = List.of(30, 7, 1);

  /** A sign-in started and not yet called back. */
  private record Attempt(String service, String verifier, Instant started) {}

  private final Map<String, OAuthClient> clients = new HashMap<>();
  private final Map<String, TokenStore.Token> tokens = new LinkedHashMap<>();
  private final Map<String, Future<TokenStore.Token>> refreshing = new HashMap<>();
  private final Map<String, Attempt> attempts = new HashMap<>();
  private final Map<String, String> states = new HashMap<>();
  private final Map<String, Integer> warned = new HashMap<>();
  private TokenStore store;
  private HttpServer callbackServer;
  private String callbackPath;

  @Override
  public Future<?> start() {
    AppConfig config = AppConfig.of(config());
    store = new TokenStore(vertx, config.tokenFile());
    clients.put("anilist", new OAuthClient(vertx, config, "anilist"));
    clients.put("mal", new OAuthClient(vertx, config, "mal"));
    URI redirect = URI.create(config.string("oauth.redirect_uri"));
    callbackPath = redirect.getPath() == null || redirect.getPath().isEmpty() ? "/callback" : redirect.getPath();
    Router router = Router.router(vertx);
    router.get(callbackPath).handler(this::callback);
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
                  Future.succeededFuture(new JsonObject().put("authorizeUrl", startSignIn(service(body)))))).completion(),
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
        });
  }

  @Override
  public Future<?> stop() {
    return callbackServer == null ? Future.succeededFuture() : callbackServer.close();
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

  /** A token believed valid: MAL's is refreshed first when it expires within five minutes. */
  private Future<TokenStore.Token> get(String service) {
    TokenStore.Token t = tokens.get(service);
    if (t == null) return Future.failedFuture(signInNeeded(service));
    boolean due = t.expiresAt() != null && Instant.now().plus(REFRESH_MARGIN).isAfter(t.expiresAt());
    if (!due) return Future.succeededFuture(t);
    if (!service.equals("mal")) return Future.failedFuture(signInNeeded(service));
    return refresh(service);
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
          if (e instanceof ServiceException se && se.kind() == FailureKind.TRANSIENT) {
            LOG.warn("{}; the token is kept and the refresh tried again later", se.getMessage());
            return Future.failedFuture(se);
          }
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

  private void needsSignIn(String service, String why) {
    String url = startSignIn(service);
    LOG.warn("{} needs sign-in ({}): open {} (or use Connect on the dashboard, or run the auth command)", clients.get(service).label(), why, url);
    publish(service, "needsSignIn", null);
  }

  /** A new attempt: fresh state, fresh PKCE verifier; answers the authorize URL. */
  private String startSignIn(String service) {
    Instant now = Instant.now();
    attempts.values().removeIf(a -> a.started().plus(ATTEMPT_LIFETIME).isBefore(now));
    states.values().removeIf(s -> !attempts.containsKey(s));
    String state = OAuthClient.randomToken();
    String verifier = OAuthClient.randomToken();
    attempts.put(state, new Attempt(service, verifier, now));
    return clients.get(service).authorizeUrl(state, verifier);
  }

  private void callback(RoutingContext ctx) {
    String state = ctx.request().getParam("state");
    Attempt attempt = state == null ? null : attempts.remove(state);
    if (attempt == null || attempt.started().plus(ATTEMPT_LIFETIME).isBefore(Instant.now())) {
      page(ctx, 400, "Sign-in failed", "This sign-in link is unknown or has expired. Start again from the dashboard or the auth command.");
      return;
    }
    OAuthClient client = clients.get(attempt.service());
    String error = ctx.request().getParam("error");
    if (error != null) {
      String description = ctx.request().getParam("error_description");
      LOG.warn("{} sign-in was refused: {}", client.label(), error);
      page(ctx, 400, "Sign-in failed", client.label() + " answered: " + error + (description == null ? "" : " (" + description + ")"));
      return;
    }
    String code = ctx.request().getParam("code");
    if (code == null) {
      page(ctx, 400, "Sign-in failed", client.label() + " sent no authorization code.");
      return;
    }
    client.exchange(code, attempt.verifier())
        .compose(token -> {
          tokens.put(attempt.service(), token);
          warned.remove(attempt.service());
          return persist().map(token);
        })
        .onSuccess(token -> {
          LOG.info("signed in to {}; the token is valid until {}", client.label(), token.expiresAt());
          publish(attempt.service(), "signedIn", null);
          page(ctx, 200, "Signed in", "Signed in to " + client.label() + ". You can close this tab.");
        })
        .onFailure(e -> {
          LOG.warn("{} sign-in failed: {}", client.label(), e.getMessage());
          page(ctx, 400, "Sign-in failed", e.getMessage());
        });
  }

  private static void page(RoutingContext ctx, int status, String title, String message) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
        .putHeader("Cache-Control", "no-store")
        .end("<!doctype html><html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title></head><body style=\"font-family:sans-serif\">"
            + "<h1>" + escape(title) + "</h1><p>" + escape(message) + "</p></body></html>");
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
