package io.github.anilistmalsync.web;

import io.github.anilistmalsync.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** What the config watcher last found wrong with the file (nothing once a reload is in force), for the dashboard and /health. */
final class ConfigProblems {
  private JsonArray configProblems;

  Future<Void> listen(EventBus bus) {
    return Future.all(
        bus.<JsonObject>consumer(Addresses.CONFIG_PROBLEMS, m ->
            configProblems = m.body() == null ? new JsonArray() : m.body().getJsonArray("problems", new JsonArray())).completion(),
        bus.consumer(Addresses.CONFIG_CHANGED, m -> configProblems = null).completion()).mapEmpty();
  }

  /** The problems as the watcher published them (a copy); empty when there are none. */
  JsonArray list() {
    return configProblems == null ? new JsonArray() : configProblems.copy();
  }
}
