package io.github.anilistmalsync.web;

import static io.github.anilistmalsync.web.Pages.apiFailure;
import static io.github.anilistmalsync.web.Pages.json;
import static io.github.anilistmalsync.web.Pages.notice;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.bus.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Accounts: each service's sign-in state and the Connect button, which sends the browser to the token service's
 * start link (the same as the auth command prints): the sign-in is bound to this browser there.
 */
final class AccountPages {
  private final Pages pages;

  AccountPages(Pages pages) {
    this.pages = pages;
  }

  /** Adds these pages and their JSON API to the router. */
  void register(Router router) {
    router.get("/accounts").handler(this::showAccounts);
    router.post("/accounts/:service/connect").handler(this::connect);
    router.get("/api/accounts").handler(ctx -> pages.request(Addresses.AUTH_STATUS, new JsonObject())
        .onSuccess(reply -> json(ctx, 200, new JsonObject().put("services", accounts(reply))))
        .onFailure(err -> apiFailure(ctx, err)));
  }

  private static final Set<String> SERVICES = Set.of("anilist", "mal");

  private void showAccounts(RoutingContext ctx) {
    pages.request(Addresses.AUTH_STATUS, new JsonObject())
        .onSuccess(reply -> pages.render(ctx, 200, "accounts", pages.page(ctx, "Accounts", "accounts").put("services", accounts(reply))))
        .onFailure(err -> pages.pageFailure(ctx, err, "Accounts", "accounts"));
  }

  /** Each service's sign-in state: plain fields only, never a token. */
  static JsonArray accounts(JsonObject reply) {
    JsonArray out = new JsonArray();
    for (Object o : reply.getJsonArray("services", new JsonArray())) {
      if (o instanceof JsonObject s && SERVICES.contains(s.getString("service", ""))) {
        String state = s.getString("state", "unknown");
        Object daysLeft = s.getValue("daysLeft");
        String label = switch (state) {
          case "signedIn" -> "signed in";
          case "needsSignIn" -> "needs sign-in";
          case "expiring" -> "expiring in " + (daysLeft == null ? "a few" : daysLeft) + " days";
          default -> state;
        };
        out.add(new JsonObject()
            .put("service", s.getString("service"))
            .put("name", "anilist".equals(s.getString("service")) ? "AniList" : "MyAnimeList")
            .put("state", state)
            .put("label", label)
            .put("ok", "signedIn".equals(state))
            .put("expiresAt", s.getValue("expiresAt") == null ? null : String.valueOf(s.getValue("expiresAt")))
            .put("daysLeft", daysLeft));
      }
    }
    return out;
  }

  private void connect(RoutingContext ctx) {
    String service = ctx.pathParam("service");
    if (!SERVICES.contains(service)) {
      notice(ctx, "Unknown service.");
      ctx.redirect("/accounts");
      return;
    }
    pages.request(Addresses.AUTH_SIGNIN_START, new JsonObject().put("service", service))
        .onSuccess(reply -> {
          String url = reply.getString("startUrl");
          if (url == null || !(url.startsWith("https://") || url.startsWith("http://"))) {
            notice(ctx, "The token service gave no sign-in address.");
            ctx.redirect("/accounts");
          } else {
            ctx.response().setStatusCode(303).putHeader("Location", url).end();
          }
        })
        .onFailure(err -> {
          notice(ctx, "Could not start the sign-in: " + ServiceException.from(err).getMessage());
          ctx.redirect("/accounts");
        });
  }
}
