package io.github.anilistmalsync.sandbox;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the fake AniList and the fake MAL share: an HTTP server on loopback (a chosen or free port), the faults still
 * to inject, and the log of every request received, which tests assert on instead of timing anything.
 *
 * @param <S> the fake itself, so its controls chain
 */
public abstract class FakeServer<S extends FakeServer<S>> {
  protected final Vertx vertx;
  protected final FaultPlan faults = new FaultPlan();
  protected final List<RecordedRequest> log = new CopyOnWriteArrayList<>();
  protected Router router;
  private HttpServer server;

  protected FakeServer(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The fake's own API routes. */
  protected abstract void routes(Router router);

  protected abstract S self();

  /** Starts listening on {@code port} (0 for a free one) and answers the bound port. */
  public Future<Integer> start(int port) {
    router = Router.router(vertx);
    routes(router);
    return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1").map(s -> {
      server = s;
      return s.actualPort();
    });
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  public int port() {
    return server.actualPort();
  }

  /** The router, so the OAuth endpoints can be mounted beside the API. */
  public Router router() {
    return router;
  }

  /** The next {@code times} requests that match the fault fail with it. */
  public S inject(Fault fault, int times) {
    faults.add(fault, times);
    return self();
  }

  /** From now on, a share {@code rate} of all requests fails at random (500/502/503, drops, malformed, slow). */
  public S chaos(double rate, long seed) {
    faults.chaos(rate, seed);
    return self();
  }

  /** No more injected faults. */
  public S calm() {
    faults.clear();
    return self();
  }

  public List<RecordedRequest> requests() {
    return List.copyOf(log);
  }

  /** How many requests changed the list. */
  public long writes() {
    return log.stream().filter(RecordedRequest::isWrite).count();
  }

  public void clearLog() {
    log.clear();
  }
}
