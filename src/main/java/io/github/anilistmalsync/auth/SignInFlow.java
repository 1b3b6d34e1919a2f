package io.github.anilistmalsync.auth;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sign-in in a browser, for the token service ({@link AuthVerticle}): the start links, the attempts they begin,
 * the OAuth callback and how each one ended, in words. It may touch the OAuth clients (authorize URL, code exchange)
 * and the routes it registers; a new token is handed to the token service ({@code keep}), never held here.
 *
 * <p>A sign-in begins at our own start link ({@code /start/mal} on the callback's host and port), never at an
 * authorize URL handed around: the start link binds a fresh {@code state} to a cookie in the browser that opened it
 * and then redirects to the service. The callback honours a {@code state} only from that browser, and a successful
 * sign-in ends every other attempt for the service. So nothing a log reader sees (no state, no PKCE challenge, no
 * code is ever logged) lets them finish a sign-in, and a callback replayed from another browser is refused.
 */
final class SignInFlow {
  private static final Logger LOG = LoggerFactory.getLogger(SignInFlow.class);
  static final Duration ATTEMPT_LIFETIME = Duration.ofMinutes(10);

  /** A sign-in started and not yet called back, and the browser (its binding cookie) that started it. */
  private record Attempt(String service, String verifier, String binding, Instant started) {}

  /**
   * How a callback ended, in words for the person who signed in (never a code, state or token); {@code link} is
   * where a page of ours sends them next, {@code at} when, so kept outcomes expire.
   */
  record Outcome(String service, boolean signedIn, int status, String title, String message, String link, String linkText,
                Instant at) {
    JsonObject toJson() {
      return new JsonObject().put("service", service).put("signedIn", signedIn).put("message", message);
    }
  }

  private final Map<String, OAuthClient> clients;
  /** Stores a signed-in service's new token (saved before the answer). */
  private final BiFunction<String, TokenStore.Token, Future<Void>> keep;
  /** Says a service is signed in (the token service's {@code auth.state}). */
  private final Consumer<String> signedIn;
  private final Map<String, Attempt> attempts = new HashMap<>();
  /** Outcomes of callbacks on our own server, by the browser's binding, until the dashboard shows them. */
  private final Map<String, Outcome> outcomes = new HashMap<>();
  private final String callbackPath;
  private final String startPath;
  private final String origin;
  private final String dashboardOrigin;
  private final boolean secureCookie;
  /** The sign-in is served on the web port (the redirect URI ends in {@link AuthVerticle#WEB_CALLBACK_PATH}). */
  private final boolean onWebPort;
  /** The dashboard runs beside the token service (it then serves the web port's sign-in, and shows results). */
  private final boolean webUi;

  SignInFlow(AppConfig config, Map<String, OAuthClient> clients, boolean webUi,
             BiFunction<String, TokenStore.Token, Future<Void>> keep, Consumer<String> signedIn) {
    this.clients = clients;
    this.webUi = webUi;
    this.keep = keep;
    this.signedIn = signedIn;
    URI redirect = URI.create(config.string("oauth.redirect_uri"));
    onWebPort = AuthVerticle.callbackOnWebPort(config);
    callbackPath = redirect.getPath() == null || redirect.getPath().isEmpty() ? "/callback" : redirect.getPath();
    startPath = onWebPort ? AuthVerticle.WEB_START_PATH : "/start/";
    origin = redirect.getScheme() + "://" + redirect.getRawAuthority();
    secureCookie = "https".equalsIgnoreCase(redirect.getScheme());
    // the browser that reaches the callback reaches this host; the dashboard listens on web.port there
    dashboardOrigin = onWebPort ? origin
        : redirect.getScheme() + "://" + (redirect.getHost().contains(":") ? "[" + redirect.getHost() + "]" : redirect.getHost())
            + ":" + config.integer("web.port");
  }

  /** The start link and the callback on the token service's own server. */
  void register(Router router) {
    router.get(callbackPath).handler(this::callback);
    router.get(startPath + ":service").handler(this::startInBrowser);
  }

  /** The start link a person opens to sign in to {@code service}; it holds nothing secret. */
  String startUrl(String service) {
    return origin + startPath + service;
  }

  /** {@link Addresses#AUTH_SIGNIN_OUTCOME}: the outcome kept for this browser, once. */
  JsonObject takeOutcome(String binding) {
    Outcome kept = binding == null ? null : outcomes.remove(binding);
    return kept == null ? new JsonObject() : kept.toJson();
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
    io.vertx.core.http.Cookie existing = ctx.request().getCookie(AuthVerticle.BINDING_COOKIE);
    String binding = binding(existing == null ? null : existing.getValue());
    String authorize = begin(service, binding);
    ctx.response().addCookie(io.vertx.core.http.Cookie.cookie(AuthVerticle.BINDING_COOKIE, binding).setPath("/").setHttpOnly(true)
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
   * dashboard sets as {@link AuthVerticle#BINDING_COOKIE}; when the callback is on {@code oauth.port}, only that server's start
   * link (it sets the cookie on the callback's own host).
   */
  Future<JsonObject> beginForWeb(String service, String browserBinding) {
    if (!onWebPort) return Future.succeededFuture(new JsonObject().put("startUrl", startUrl(service)));
    String binding = binding(browserBinding);
    return Future.succeededFuture(new JsonObject().put("authorizeUrl", begin(service, binding)).put("binding", binding)
        .put("secure", secureCookie).put("maxAgeSeconds", ATTEMPT_LIFETIME.toSeconds()));
  }

  /**
   * Our own server's callback: the outcome as a page, or, with the dashboard running and a browser we know, kept for
   * the dashboard and the browser sent there ({@code /oauth/done}), so a sign-in never ends on a page of its own.
   */
  private void callback(RoutingContext ctx) {
    io.vertx.core.http.Cookie cookie = ctx.request().getCookie(AuthVerticle.BINDING_COOKIE);
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
  Future<Outcome> finish(String state, String binding, String code, String error, String description) {
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
          // every other attempt at this service ends here: an old state (from a log, a history, a replay) is worthless
          attempts.values().removeIf(a -> a.service().equals(attempt.service()));
          return keep.apply(attempt.service(), token).map(token);
        })
        .map(token -> {
          LOG.info("signed in to {}; the token is valid until {}", client.label(), token.expiresAt());
          signedIn.accept(attempt.service());
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
}
