package io.github.anilistmalsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.config.ConfigLoader;
import io.github.anilistmalsync.config.TestConfigs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class MainVerticleTest {

  @Test
  void everyVerticleAnswersAPingOverTheBus(Vertx vertx, @TempDir Path dataDir) throws Exception {
    Path file = TestConfigs.write(dataDir, TestConfigs.VALID);
    ConfigLoader.Sources sources = new ConfigLoader.Sources(file, dataDir, new JsonObject(), Map.of());
    vertx.deployVerticle(new MainVerticle(sources, MainVerticle.Launch.once())).await();
    List<String> pings = List.of(Addresses.AUTH_PING, Addresses.ANILIST_PING, Addresses.MAL_PING, Addresses.SYNC_PING);
    List<String> names = Future.all(pings.stream().map(a -> vertx.eventBus().<JsonObject>request(a, new JsonObject())).toList())
        .await().<Message<JsonObject>>list().stream().map(m -> m.body().getString("verticle")).toList();
    assertThat(names).containsExactly("auth", "anilist", "mal", "sync");
  }

  @Test
  void anInvalidConfigStopsTheStartNamingTheProblem(Vertx vertx, @TempDir Path dataDir) throws Exception {
    Path file = TestConfigs.write(dataDir, TestConfigs.VALID.replace("mode: bidirectional", "mode: sideways"));
    ConfigLoader.Sources sources = new ConfigLoader.Sources(file, dataDir, new JsonObject(), Map.of());
    Throwable failure = vertx.deployVerticle(new MainVerticle(sources, MainVerticle.Launch.once()))
        .map(id -> (Throwable) null).otherwise(e -> e).await();
    assertThat(failure).isNotNull();
    assertThat(failure.getMessage()).contains("sync.mode");
  }
}
