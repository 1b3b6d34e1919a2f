package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/** The sync coordinator: runs syncs (fetch, map, plan, guard, back up, apply, record) around the pure core, one at a time. */
public class SyncCoordinatorVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    return vertx.eventBus()
        .<JsonObject>consumer(Addresses.SYNC_PING, msg -> msg.reply(new JsonObject().put("verticle", "sync")))
        .completion();
  }
}
