package io.github.anilistmalsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.config.AppConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class MainVerticleTest {

  @Test
  void everyVerticleAnswersAPingOverTheBus(Vertx vertx, VertxTestContext ctx, @TempDir Path dataDir) {
    JsonObject conf = new JsonObject().put(AppConfig.DATA_DIR, dataDir.toString());
    List<String> pings = List.of(Addresses.AUTH_PING, Addresses.ANILIST_PING, Addresses.MAL_PING, Addresses.SYNC_PING);
    vertx.deployVerticle(new MainVerticle(false), new DeploymentOptions().setConfig(conf))
        .compose(id -> Future.all(pings.stream().map(a -> vertx.eventBus().<JsonObject>request(a, new JsonObject())).toList()))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          List<String> names = all.<io.vertx.core.eventbus.Message<JsonObject>>list().stream()
              .map(m -> m.body().getString("verticle")).toList();
          assertThat(names).containsExactly("auth", "anilist", "mal", "sync");
          ctx.completeNow();
        })));
  }
}
