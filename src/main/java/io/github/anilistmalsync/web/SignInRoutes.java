package io.github.anilistmalsync.web;

import static io.github.anilistmalsync.web.Pages.notice;

import io.github.anilistmalsync.auth.AuthVerticle;
import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.bus.ServiceException;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * The sign-in on the dashboard's own port: the start link ({@code /oauth/start/{service}}) and the OAuth callback
 * ({@code /oauth/callback}, what the browser setup registers), so the redirect URI is the address the browser
 * already uses, through a reverse proxy too. The token service does the OAuth part over the bus; here are only the
 * browser's cookie and where it goes next: back to the page that started the sign-in (the dashboard, unless the
 * setup page did), with the result as a notice. {@code /oauth/done} is where a callback on {@code oauth.port}
 * (configs from before) sends the browser with its result.
 */
final class SignInRoutes {
  /** The session key of the page a sign-in returns to. */
  private static final String RETURN_KEY = "signInReturn";
  /** Pages a sign-in may return to: our own, so {@code ?return=} cannot send anyone elsewhere. */
  private static final Set<String> RETURNS = Set.of("/", "/accounts", SetupPages.PATH);
  private static final Set<String> SERVICES = Set.of("anilist", "mal");

  private final Pages pages;

  SignInRoutes(Pages pages) {
    this.pages = pages;
  }

  /** Adds the start link (behind the login), the callback (public: the state and the cookie guard it) and the result page. */
  void register(Router router) {
    router.get(AuthVerticle.WEB_START_PATH + ":service").handler(this::start);
    router.get(AuthVerticle.WEB_CALLBACK_PATH).handler(this::callback);
    router.get("/oauth/done").handler(this::done);
  }

  private void start(RoutingContext ctx) {
    String service = ctx.pathParam("service");
    if (!SERVICES.contains(service)) {
      notice(ctx, "There is no sign-in for '" + service + "'.");
      ctx.redirect("/accounts");
      return;
    }
    String back = ctx.request().getParam("return");
    ctx.session().put(RETURN_KEY, back != null && RETURNS.contains(back) ? back : "/");
    Cookie held = ctx.request().getCookie(AuthVerticle.BINDING_COOKIE);
    JsonObject begin = new JsonObject().put("service", service).put("binding", held == null ? null : held.getValue());
    pages.request(Addresses.AUTH_SIGNIN_BEGIN, begin)
        .onSuccess(reply -> {
          if (reply.getString("authorizeUrl") == null) {
            // the callback is on oauth.port: its own start link sets the cookie on the callback's host
            ctx.response().setStatusCode(303).putHeader("Location", reply.getString("startUrl")).end();
            return;
          }
          ctx.response().addCookie(Cookie.cookie(AuthVerticle.BINDING_COOKIE, reply.getString("binding")).setPath("/").setHttpOnly(true)
              .setSecure(reply.getBoolean("secure", false)).setSameSite(CookieSameSite.LAX).setMaxAge(reply.getLong("maxAgeSeconds", 600L)));
          ctx.response().setStatusCode(303).putHeader("Location", reply.getString("authorizeUrl"))
              .putHeader("Cache-Control", "no-store").putHeader("Referrer-Policy", "no-referrer").end();
        })
        .onFailure(err -> back(ctx, "Could not start the sign-in: " + ServiceException.from(err).getMessage()));
  }

  private void callback(RoutingContext ctx) {
    var params = ctx.request().params();
    JsonObject finish = new JsonObject().put("state", params.get("state")).put("binding", binding(ctx))
        .put("code", params.get("code")).put("error", params.get("error")).put("errorDescription", params.get("error_description"));
    pages.request(Addresses.AUTH_SIGNIN_FINISH, finish, Math.max(pages.busTimeoutMs(), 60_000))
        .onSuccess(outcome -> back(ctx, outcome.getString("message")))
        .onFailure(err -> back(ctx, "The sign-in could not be finished: " + ServiceException.from(err).getMessage()));
  }

  private void done(RoutingContext ctx) {
    pages.request(Addresses.AUTH_SIGNIN_OUTCOME, new JsonObject().put("binding", binding(ctx)))
        .onSuccess(outcome -> back(ctx, outcome.getString("message", "No sign-in came back to this browser: use Connect to start one.")))
        .onFailure(err -> back(ctx, "The sign-in's result is unknown: " + ServiceException.from(err).getMessage()));
  }

  private static String binding(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(AuthVerticle.BINDING_COOKIE);
    return cookie == null ? null : cookie.getValue();
  }

  /** To the page the sign-in started from (the dashboard by default), the message shown there once. */
  private static void back(RoutingContext ctx, String message) {
    notice(ctx, message);
    String to = ctx.session() == null ? null : ctx.session().remove(RETURN_KEY);
    ctx.response().setStatusCode(303).putHeader("Location", to == null ? "/" : to).putHeader("Cache-Control", "no-store")
        .putHeader("Referrer-Policy", "no-referrer").end();
  }
}
