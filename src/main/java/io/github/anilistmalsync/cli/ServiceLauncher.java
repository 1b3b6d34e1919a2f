package io.github.anilistmalsync.cli;

import io.github.anilistmalsync.MainVerticle;
import io.github.anilistmalsync.config.AppConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts Vert.x with the service's verticles for {@code run}, and stops them cleanly on SIGTERM or Ctrl+C. */
public final class ServiceLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceLauncher.class);

  private ServiceLauncher() {}

  public static int run(CommonOptions common, RunOptions run) {
    Vertx vertx = Vertx.vertx();
    JsonObject conf = new JsonObject().put(AppConfig.DATA_DIR, common.dataDir().toString());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping");
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("stop did not complete cleanly: {}", e.toString());
      }
      LOG.info("stopped");
      stopped.countDown();
    }, "shutdown"));
    try {
      vertx.deployVerticle(new MainVerticle(!run.noWebUi && !run.once), new DeploymentOptions().setConfig(conf)).await();
    } catch (Exception e) {
      LOG.error("the service could not start: {}", e.getMessage());
      return ExitCode.SYNC_FAILED;
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ExitCode.OK;
  }
}
