package io.github.anilistmalsync.cli;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.config.AppConfig;
import io.github.anilistmalsync.sandbox.DemoServers;
import io.github.anilistmalsync.sandbox.FakeOAuth;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code demo}: the real service on in-process fake AniList and MAL servers seeded with sample lists, so a newcomer
 * sees everything work without creating API clients. It signs in through the real OAuth flow (the fakes approve at
 * once), then the real syncs run and the real dashboard shows them. Its data lives in a temporary folder unless
 * {@code --data-dir} is given.
 */
final class DemoMode {
  private static final Logger LOG = LoggerFactory.getLogger(DemoMode.class);
  static final int ENTRIES_PER_TYPE = 80;

  private DemoMode() {}

  static int run(CommonOptions common, RunOptions run) {
    String generated = null;
    try {
      if (common.dataDir == null) common.dataDir = Files.createTempDirectory("anilist-mal-sync-demo");
      Path config = common.configFile();
      if (!Files.exists(config)) generated = writeDemoConfig(config);
    } catch (IOException e) {
      System.err.println("The demo could not prepare its data folder: " + e.getMessage());
      return ExitCode.USAGE;
    }
    LOG.info("demo data in {}", common.dataDir().toAbsolutePath());
    DemoServers[] servers = new DemoServers[1];
    String password = generated;
    return ServiceLauncher.run(common, run, System.getenv(), config -> startFakes(config, servers), vertx -> {
      signIn(vertx);
      if (run.once) return ServiceLauncher.syncOnce(vertx, run, System.out);
      // the password last, after the start-up noise, where a newcomer looks
      System.out.println(password != null
          ? "Demo dashboard password: " + password
          : "Demo ready: log in with web.password from " + common.configFile());
      return ServiceLauncher.KEEP_RUNNING;
    });
  }

  /** A config that passes validation; the fake servers' URLs replace the real ones at start. Answers its password. */
  private static String writeDemoConfig(Path file) throws IOException {
    byte[] b = new byte[12];
    new SecureRandom().nextBytes(b);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    Files.createDirectories(file.toAbsolutePath().getParent());
    io.github.anilistmalsync.files.AtomicFiles.write(file, """
        # The demo's config: fake servers, generated dashboard password.
        anilist:
          client_id: "%s"
          client_secret: "%s"
        myanimelist:
          client_id: "%s"
          client_secret: "%s"
        sync:
          interval: 15
        web:
          password: "%s"
        """.formatted(DemoServers.CLIENT_ID, DemoServers.CLIENT_SECRET, DemoServers.CLIENT_ID, DemoServers.CLIENT_SECRET, password));
    // A demo password protects nothing real; printing it (once the demo is up) is the point of a demo.
    return password;
  }

  private static Future<AppConfig> startFakes(AppConfig config, DemoServers[] holder) {
    Vertx vertx = Vertx.currentContext().owner();
    DemoServers servers = new DemoServers(vertx);
    holder[0] = servers;
    String redirect = "http://localhost:" + config.integer("oauth.port") + "/callback";
    return servers.start(ENTRIES_PER_TYPE).map(s -> {
      s.aniList().withOAuth(new FakeOAuth(FakeOAuth.Style.ANILIST, DemoServers.CLIENT_ID, DemoServers.CLIENT_SECRET, redirect));
      s.mal().withOAuth(new FakeOAuth(FakeOAuth.Style.MAL, DemoServers.CLIENT_ID, DemoServers.CLIENT_SECRET, redirect));
      JsonObject overrides = s.configOverrides().put(AppConfig.DEMO, true).put("oauth", new JsonObject().put("redirect_uri", redirect));
      JsonObject json = config.json().copy().mergeIn(overrides, true).put(AppConfig.OVERRIDES, overrides);
      LOG.info("demo: fake AniList at {}, fake MyAnimeList at {}", s.aniList().apiUrl(), s.mal().apiUrl());
      return AppConfig.of(json);
    });
  }

  /** Signs in to both fakes through the real OAuth flow, as a browser would. */
  private static void signIn(Vertx vertx) {
    // a session, as a browser keeps the start link's cookie for the callback
    io.vertx.ext.web.client.WebClientSession browser = io.vertx.ext.web.client.WebClientSession.create(
        WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false)));
    for (String service : new String[] {"anilist", "mal"}) {
      try {
        String url = vertx.eventBus().<JsonObject>request(Addresses.AUTH_SIGNIN_START, new JsonObject().put("service", service))
            .await().body().getString("startUrl");
        String authorize = browser.getAbs(url).send().await().getHeader("Location");
        String callback = browser.getAbs(authorize).send().await().getHeader("Location");
        int status = browser.getAbs(callback).send().await().statusCode();
        LOG.info("demo: signed in to {} through the OAuth flow ({})", service, status < 400 ? "ok" : "HTTP " + status);
      } catch (Exception e) {
        LOG.warn("demo: signing in to {} failed: {}", service, e.getMessage());
      }
    }
  }
}
