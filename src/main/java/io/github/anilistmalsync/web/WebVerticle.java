package io.github.anilistmalsync.web;

import io.github.anilistmalsync.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/** The web UI verticle: the dashboard pages, the JSON API and the event stream, behind a login. */
public class WebVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    return vertx.eventBus()
        .<JsonObject>consumer(Addresses.WEB_PING, msg -> msg.reply(new JsonObject().put("verticle", "web")))
        .completion();
  }
}
