package io.github.anilistmalsync.client;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.bus.FailureKind;
import io.github.anilistmalsync.bus.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/** Where a client gets its access token, and a fresh one after the upstream refused it. */
public interface TokenSource {

  /** A token believed valid (the token service refreshes a due MAL token before answering). */
  Future<String> token();

  /** The upstream refused {@code rejected}: one fresh token, or AUTH_EXPIRED when none can be had. */
  Future<String> refresh(String rejected);

  /** A fixed token that cannot be refreshed (tests, and AniList whose tokens cannot be refreshed anyway). */
  static TokenSource fixed(String token) {
    return new TokenSource() {
      @Override
      public Future<String> token() {
        return Future.succeededFuture(token);
      }

      @Override
      public Future<String> refresh(String rejected) {
        return Future.failedFuture(new ServiceException(FailureKind.AUTH_EXPIRED, "the token was refused and cannot be refreshed"));
      }
    };
  }

  /** Asks the token service over the event bus ({@link Addresses#AUTH_TOKEN_GET}, {@link Addresses#AUTH_TOKEN_REFRESH}). */
  static TokenSource overBus(Vertx vertx, String service) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(60_000);
    return new TokenSource() {
      @Override
      public Future<String> token() {
        return vertx.eventBus()
            .<JsonObject>request(Addresses.AUTH_TOKEN_GET, new JsonObject().put("service", service), options)
            .map(reply -> reply.body().getString("accessToken"))
            .recover(e -> Future.failedFuture(ServiceException.from(e)));
      }

      @Override
      public Future<String> refresh(String rejected) {
        JsonObject body = new JsonObject().put("service", service).put("rejectedToken", rejected);
        return vertx.eventBus()
            .<JsonObject>request(Addresses.AUTH_TOKEN_REFRESH, body, options)
            .map(reply -> reply.body().getString("accessToken"))
            .recover(e -> Future.failedFuture(ServiceException.from(e)));
      }
    };
  }
}
