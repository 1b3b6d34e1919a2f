package io.github.anilistmalsync.sandbox;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * The faults a fake server still has to inject: each queued fault hits the next request it matches, once; a
 * chaos rate makes a share of all requests fail at random. Applied before the fake answers normally.
 */
final class FaultPlan {
  private final List<Fault> queued = new ArrayList<>();
  private double chaosRate;
  private Random chaosRandom = new Random(1);

  synchronized void add(Fault fault, int times) {
    for (int i = 0; i < times; i++) queued.add(fault);
  }

  synchronized void chaos(double rate, long seed) {
    chaosRate = rate;
    chaosRandom = new Random(seed);
  }

  synchronized void clear() {
    queued.clear();
    chaosRate = 0;
  }

  /** The fault for this request, if any (taken off the queue). */
  synchronized Fault take(HttpServerRequest request) {
    for (Iterator<Fault> it = queued.iterator(); it.hasNext(); ) {
      Fault f = it.next();
      if (f.matches().test(request)) {
        it.remove();
        return f;
      }
    }
    if (chaosRate > 0 && chaosRandom.nextDouble() < chaosRate) {
      return switch (chaosRandom.nextInt(6)) {
        case 0 -> Fault.status(500, "{\"error\":\"internal\"}");
        case 1 -> Fault.status(502, "Bad Gateway");
        case 2 -> Fault.status(503, "{\"error\":\"unavailable\"}");
        case 3 -> Fault.drop();
        case 4 -> Fault.malformed();
        default -> Fault.delay(3_000);
      };
    }
    return null;
  }

  /**
   * Carries out a fault that ends the exchange; returns true when it did (a delay returns false after waiting is
   * arranged by the caller).
   */
  static boolean answer(Vertx vertx, HttpServerRequest request, Fault fault) {
    switch (fault.kind()) {
      case STATUS -> {
        if (fault.status() == 429) request.response().putHeader("Retry-After", "1");
        request.response().setStatusCode(fault.status()).putHeader("Content-Type", "application/json")
            .end(fault.body() == null ? "" : fault.body());
        return true;
      }
      case HTML -> {
        request.response().setStatusCode(fault.status()).putHeader("Content-Type", "text/html; charset=utf-8").end(fault.body());
        return true;
      }
      case DROP -> {
        request.connection().close();
        return true;
      }
      case MALFORMED -> {
        request.response().setStatusCode(200).putHeader("Content-Type", "application/json").end("{\"data\": [ {\"node\": {\"id\": 1, \"tit");
        return true;
      }
      default -> {
        return false;
      }
    }
  }
}
