package io.github.anilistmalsync;

import io.github.anilistmalsync.anilist.AniListVerticle;
import io.github.anilistmalsync.auth.AuthVerticle;
import io.github.anilistmalsync.mal.MalVerticle;
import io.github.anilistmalsync.sync.SyncCoordinatorVerticle;
import io.github.anilistmalsync.web.WebVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys the service's verticles in one compose chain, each with the validated config. They talk only over the
 * event bus; undeploying this verticle undeploys them all.
 */
public class MainVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MainVerticle.class);

  private final boolean withWebUi;

  public MainVerticle(boolean withWebUi) {
    this.withWebUi = withWebUi;
  }

  @Override
  public Future<?> start() {
    JsonObject conf = config();
    DeploymentOptions options = new DeploymentOptions().setConfig(conf);
    Future<String> chain = vertx.deployVerticle(new AuthVerticle(), options)
        .compose(id -> vertx.deployVerticle(new AniListVerticle(), options))
        .compose(id -> vertx.deployVerticle(new MalVerticle(), options))
        .compose(id -> vertx.deployVerticle(new SyncCoordinatorVerticle(), options));
    if (withWebUi) {
      chain = chain.compose(id -> vertx.deployVerticle(new WebVerticle(), options));
    }
    return chain.onSuccess(id -> LOG.info("service started"));
  }
}
