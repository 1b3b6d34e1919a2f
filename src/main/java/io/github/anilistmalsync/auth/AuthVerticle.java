package io.github.anilistmalsync.auth;

import io.github.anilistmalsync.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/** The token service: holds both services' tokens, refreshes MAL's, and runs the OAuth callback server. */
public class AuthVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    return vertx.eventBus()
        .<JsonObject>consumer(Addresses.AUTH_PING, msg -> msg.reply(new JsonObject().put("verticle", "auth")))
        .completion();
  }
}
