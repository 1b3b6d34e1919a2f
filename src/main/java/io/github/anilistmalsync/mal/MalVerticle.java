package io.github.anilistmalsync.mal;

import io.github.anilistmalsync.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/** The MyAnimeList client verticle: answers the mal.* addresses by talking to MAL's REST API v2. */
public class MalVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    return vertx.eventBus()
        .<JsonObject>consumer(Addresses.MAL_PING, msg -> msg.reply(new JsonObject().put("verticle", "mal")))
        .completion();
  }
}
