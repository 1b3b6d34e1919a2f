package io.github.anilistmalsync.config;

import io.github.anilistmalsync.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The config in force in one verticle: the one it was deployed with, replaced by each reload published on
 * {@code config.changed} ({@link AppConfig#reloaded} carries the launch keys over). Whatever needs the config holds
 * this as a {@code Supplier<AppConfig>} and asks when it reads, so no copy is left behind by a reload.
 */
public final class ConfigInForce implements Supplier<AppConfig> {
  private volatile AppConfig current;

  public ConfigInForce(JsonObject deployed) {
    this.current = AppConfig.of(deployed);
  }

  @Override
  public AppConfig get() {
    return current;
  }

  /** Follows the reloads from now on. */
  public Future<Void> follow(EventBus bus) {
    return follow(bus, (before, after) -> { });
  }

  /** Follows the reloads from now on; {@code changed} hears the config before and after each one. */
  public Future<Void> follow(EventBus bus, BiConsumer<AppConfig, AppConfig> changed) {
    return bus.<Object>consumer(Addresses.CONFIG_CHANGED, msg -> {
      if (!(msg.body() instanceof JsonObject json)) return;
      AppConfig before = current;
      current = before.reloaded(json);
      changed.accept(before, current);
    }).completion();
  }
}
