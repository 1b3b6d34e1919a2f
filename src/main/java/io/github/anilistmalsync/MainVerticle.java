package io.github.anilistmalsync;

import io.github.anilistmalsync.anilist.AniListVerticle;
import io.github.anilistmalsync.auth.AuthVerticle;
import io.github.anilistmalsync.config.AppConfig;
import io.github.anilistmalsync.config.ConfigEditor;
import io.github.anilistmalsync.config.ConfigLoader;
import io.github.anilistmalsync.config.ConfigWatcher;
import io.github.anilistmalsync.mal.MalVerticle;
import io.github.anilistmalsync.notify.NotificationVerticle;
import io.github.anilistmalsync.sync.SyncCoordinatorVerticle;
import io.github.anilistmalsync.web.WebVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the config and deploys the service's verticles in one compose chain, each with the validated config; they
 * talk only over the event bus. While it runs, a {@link ConfigWatcher} hot-reloads the file. Undeploying this
 * verticle undeploys them all. It also answers the dashboard's config editor ({@link ConfigEditor}), since it owns the
 * file.
 */
public class MainVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MainVerticle.class);

  /** How the service runs: with the web UI and the schedule, or for one sync (run --once). */
  public record Launch(boolean webUi, boolean scheduled, boolean watchConfig) {
    public static Launch service(boolean webUi) {
      return new Launch(webUi, true, true);
    }

    public static Launch once() {
      return new Launch(false, false, false);
    }
  }

  private final ConfigLoader.Sources sources;
  private final Launch launch;
  private final Function<AppConfig, Future<AppConfig>> beforeDeploy;
  private ConfigWatcher watcher;
  private ConfigEditor editor;
  private String coordinatorId;

  public MainVerticle(ConfigLoader.Sources sources, Launch launch) {
    this(sources, launch, Future::succeededFuture);
  }

  /** {@code beforeDeploy} may adjust the config first (demo mode starts its fake servers and points the URLs at them). */
  public MainVerticle(ConfigLoader.Sources sources, Launch launch, Function<AppConfig, Future<AppConfig>> beforeDeploy) {
    this.sources = sources;
    this.launch = launch;
    this.beforeDeploy = beforeDeploy;
  }

  @Override
  public Future<?> start() {
    return ConfigLoader.load(vertx, sources)
        .compose(result -> result.valid()
            ? Future.succeededFuture(result.config())
            : Future.failedFuture("the config is invalid: " + result.problems()))
        .compose(beforeDeploy)
        .compose(this::deploy);
  }

  private Future<?> deploy(AppConfig loaded) {
    DeploymentOptions options = new DeploymentOptions().setConfig(loaded.json().copy().put(AppConfig.WEB_UI, launch.webUi()));
    Future<String> chain = vertx.deployVerticle(new AuthVerticle(), options)
        .compose(id -> vertx.deployVerticle(new AniListVerticle(), options))
        .compose(id -> vertx.deployVerticle(new MalVerticle(), options))
        .compose(id -> vertx.deployVerticle(new SyncCoordinatorVerticle(Clock.systemUTC(), launch.scheduled()), options))
        .compose(id -> {
          coordinatorId = id;
          return vertx.deployVerticle(new NotificationVerticle(), options);
        });
    if (launch.webUi()) {
      chain = chain.compose(id -> vertx.deployVerticle(new WebVerticle(), options));
    }
    return chain.compose(id -> {
      if (!launch.watchConfig()) return Future.succeededFuture();
      watcher = new ConfigWatcher(vertx, sources, loaded);
      watcher.start();
      editor = new ConfigEditor(vertx, sources, watcher);
      return editor.start();
    }).onSuccess(v -> LOG.info("service started"));
  }

  /**
   * The coordinator stops first, while the client verticles still answer: its running sync sends nothing new, the
   * writes already sent get their answers, and what was applied and what was not is recorded. Then the rest stop.
   */
  @Override
  public Future<?> stop() {
    if (editor != null) editor.close();
    if (watcher != null) watcher.close();
    return coordinatorId == null ? Future.succeededFuture() : vertx.undeploy(coordinatorId).otherwiseEmpty();
  }
}
