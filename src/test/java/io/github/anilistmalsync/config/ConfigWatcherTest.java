package io.github.anilistmalsync.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class ConfigWatcherTest {

  @Test
  void aValidEditIsInForceWithinTwoSecondsAndAnInvalidOneNever(Vertx vertx, @TempDir Path dir) throws Exception {
    Path file = TestConfigs.write(dir, TestConfigs.VALID);
    ConfigLoader.Sources sources = new ConfigLoader.Sources(file, dir, new JsonObject(), Map.of());
    AppConfig initial = ConfigLoader.load(vertx, sources).await().config();
    BlockingQueue<JsonObject> changes = new LinkedBlockingQueue<>();
    BlockingQueue<JsonObject> problems = new LinkedBlockingQueue<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG_CHANGED, m -> changes.add(m.body()));
    vertx.eventBus().<JsonObject>consumer(Addresses.CONFIG_PROBLEMS, m -> problems.add(m.body()));
    ConfigWatcher watcher = new ConfigWatcher(vertx, sources, initial);
    watcher.start();

    Files.writeString(file, TestConfigs.VALID.replace("interval: 30", "interval: 15"));
    JsonObject changed = changes.poll(2, TimeUnit.SECONDS);
    assertThat(changed).isNotNull();
    assertThat(AppConfig.of(changed).integer("sync.interval")).isEqualTo(15);

    Files.writeString(file, "sync:\n  mode: [half-writ");
    JsonObject reported = problems.poll(3, TimeUnit.SECONDS);
    assertThat(reported).isNotNull();
    assertThat(reported.getJsonArray("problems").getJsonObject(0).getString("message")).contains("not valid YAML");
    assertThat(watcher.current().integer("sync.interval")).isEqualTo(15);

    Files.writeString(file, TestConfigs.VALID.replace("interval: 30", "interval: -1"));
    JsonObject bad = problems.poll(3, TimeUnit.SECONDS);
    assertThat(bad.getJsonArray("problems").getJsonObject(0).getString("key")).isEqualTo("sync.interval");
    assertThat(changes).isEmpty();
    assertThat(watcher.current().integer("sync.interval")).isEqualTo(15);

    Files.writeString(file, TestConfigs.VALID.replace("interval: 30", "interval: 20"));
    JsonObject fixed = changes.poll(3, TimeUnit.SECONDS);
    assertThat(AppConfig.of(fixed).integer("sync.interval")).isEqualTo(20);
    assertThat(problems.poll(1, TimeUnit.SECONDS).getJsonArray("problems")).isEmpty();
    watcher.close();
  }
}
