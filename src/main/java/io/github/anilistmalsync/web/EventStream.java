package io.github.anilistmalsync.web;

import io.github.anilistmalsync.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The event stream ({@code /events}): what the bus publishes for browsers (sync progress and ends, sign-in states,
 * config problems, that the config changed, never the config) relayed as server-sent events, with a heartbeat and a
 * replay from {@code Last-Event-ID}.
 */
final class EventStream {
  private final Vertx vertx;
  private final WebTuning tuning;
  private final EventRelay relay;
  private volatile int openStreams;

  EventStream(Vertx vertx, WebTuning tuning, EventRelay relay) {
    this.vertx = vertx;
    this.tuning = tuning;
    this.relay = relay;
  }

  /** How many event streams are open right now. */
  int openStreams() {
    return openStreams;
  }

  void register(Router router) {
    router.get("/events").handler(this::streamEvents);
  }

  /** Relays the bus's events for browsers from now on. */
  Future<Void> listen() {
    var bus = vertx.eventBus();
    List<Future<Void>> ready = new ArrayList<>();
    ready.add(bus.<JsonObject>consumer(Addresses.SYNC_PROGRESS, m -> relayBody("progress", m)).completion());
    ready.add(bus.<JsonObject>consumer(Addresses.SYNC_FINISHED, m -> relayBody("finished", m)).completion());
    ready.add(bus.<JsonObject>consumer(Addresses.AUTH_STATE, m -> relayBody("auth", m)).completion());
    ready.add(bus.<JsonObject>consumer(Addresses.CONFIG_PROBLEMS, m -> relayBody("config-problems", m)).completion());
    // The new config carries secrets: browsers only learn that it changed.
    ready.add(bus.<JsonObject>consumer(Addresses.CONFIG_CHANGED,
        m -> relay.publish("config-changed", new JsonObject().put("message", "config reloaded").encode())).completion());
    return Future.all(ready).mapEmpty();
  }

  private void relayBody(String name, Message<JsonObject> msg) {
    JsonObject body = msg.body() == null ? new JsonObject() : msg.body();
    relay.publish(name, body.encode());
  }

  private void streamEvents(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    long lastId = parseLastEventId(ctx);
    StringBuilder first = new StringBuilder("retry: 3000\n\n");
    for (EventRelay.Event e : relay.since(lastId)) {
      first.append(e.toWire());
    }
    response.write(first.toString());

    // A browser that cannot keep up is dropped rather than buffered without bound; it reconnects with Last-Event-ID.
    Consumer<EventRelay.Event> listener = e -> {
      if (response.writeQueueFull()) {
        ctx.request().connection().close();
      } else {
        response.write(e.toWire());
      }
    };
    relay.subscribe(listener);
    long timer = vertx.setPeriodic(tuning.heartbeatMs(), t -> response.write(": ping\n\n"));
    openStreams++;
    AtomicBoolean released = new AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        relay.unsubscribe(listener);
        vertx.cancelTimer(timer);
        openStreams--;
      }
    };
    response.closeHandler(v -> release.run());
    response.endHandler(v -> release.run());
  }

  private static long parseLastEventId(RoutingContext ctx) {
    String header = ctx.request().getHeader("Last-Event-ID");
    if (header == null) {
      header = ctx.request().getParam("lastEventId");
    }
    if (header == null) {
      return Long.MAX_VALUE;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
