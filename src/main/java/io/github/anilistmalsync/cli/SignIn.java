package io.github.anilistmalsync.cli;

import io.github.anilistmalsync.auth.AuthVerticle;
import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.config.ConfigLoader;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.awt.Desktop;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code auth}: starts the OAuth callback server, prints each service's start link (and opens a browser when there is
 * one), waits for the sign-ins with a timeout, and exits 0 only when every requested service is signed in. The start
 * link binds the sign-in to the browser that opens it; it carries no state, so printing it gives nothing away.
 */
final class SignIn {
  private SignIn() {}

  static int run(CommonOptions common, String which, Duration timeout) {
    List<String> services = switch (which) {
      case "anilist" -> List.of("anilist");
      case "mal" -> List.of("mal");
      case "both" -> List.of("anilist", "mal");
      default -> null;
    };
    if (services == null) {
      System.err.println("--service must be anilist, mal or both, not '" + which + "'");
      return ExitCode.USAGE;
    }
    Vertx vertx = Vertx.vertx();
    try {
      ConfigLoader.Result config = ConfigLoader.load(vertx,
          new ConfigLoader.Sources(common.configFile(), common.dataDir(), new JsonObject(), System.getenv())).await();
      if (!config.valid()) {
        System.err.println("The config " + common.configFile() + " has problems:");
        config.problems().forEach(p -> System.err.println("  " + p));
        return ExitCode.USAGE;
      }
      Set<String> signedIn = ConcurrentHashMap.newKeySet();
      Promise<Void> all = Promise.promise();
      vertx.eventBus().<JsonObject>consumer(Addresses.AUTH_STATE, m -> {
        if ("signedIn".equals(m.body().getString("state")) && services.contains(m.body().getString("service"))) {
          signedIn.add(m.body().getString("service"));
          System.out.println("Signed in to " + label(m.body().getString("service")) + ".");
          if (signedIn.containsAll(services)) all.tryComplete();
        }
      });
      vertx.deployVerticle(new AuthVerticle(), new DeploymentOptions().setConfig(config.config().json())).await();
      List<String> urls = new ArrayList<>();
      for (String service : services) {
        String url = vertx.eventBus().<JsonObject>request(Addresses.AUTH_SIGNIN_START, new JsonObject().put("service", service))
            .await().body().getString("startUrl");
        urls.add(url);
        System.out.println("Sign in to " + label(service) + ": open " + url + " in your browser");
        openBrowser(url);
      }
      System.out.println("Waiting up to " + timeout.toMinutes() + " minutes for the sign-in to come back to "
          + config.config().string("oauth.redirect_uri") + " ...");
      try {
        all.future().await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return ExitCode.OK;
      } catch (Exception e) {
        System.err.println("Not signed in to " + String.join(" and ", services.stream().filter(s -> !signedIn.contains(s)).map(SignIn::label).toList())
            + " within " + timeout.toMinutes() + " minutes.");
        return ExitCode.NEEDS_SIGN_IN;
      }
    } finally {
      vertx.close().await();
    }
  }

  private static String label(String service) {
    return service.equals("anilist") ? "AniList" : "MyAnimeList";
  }

  private static void openBrowser(String url) {
    try {
      if (!java.awt.GraphicsEnvironment.isHeadless() && Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
        Desktop.getDesktop().browse(URI.create(url));
      }
    } catch (Exception | Error ignored) {
      // no browser here: the printed URL is enough
    }
  }

}
