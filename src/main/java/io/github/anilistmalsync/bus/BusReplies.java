package io.github.anilistmalsync.bus;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/** Answers a bus request from the Future of its work: the result, or a typed failure that names what went wrong. */
public final class BusReplies {
  private BusReplies() {}

  /** Runs {@code work} on the request body; a malformed body is INVALID, any failure goes back typed. */
  public static <T> void answer(Message<JsonObject> msg, Function<JsonObject, Future<T>> work) {
    Future<T> result;
    try {
      result = work.apply(msg.body() == null ? new JsonObject() : msg.body());
    } catch (RuntimeException e) {
      result = Future.failedFuture(new ServiceException(FailureKind.INVALID, "bad request on " + msg.address() + ": " + e.getMessage()));
    }
    result.onComplete(ar -> {
      if (ar.succeeded()) msg.reply(ar.result());
      else ServiceException.reply(msg, ar.cause());
    });
  }
}
