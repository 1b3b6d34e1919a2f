package io.github.anilistmalsync.anilist;

import io.github.anilistmalsync.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/** The AniList client verticle: answers the anilist.* addresses by talking GraphQL to AniList. */
public class AniListVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    return vertx.eventBus()
        .<JsonObject>consumer(Addresses.ANILIST_PING, msg -> msg.reply(new JsonObject().put("verticle", "anilist")))
        .completion();
  }
}
