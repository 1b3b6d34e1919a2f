package io.github.anilistmalsync.notify;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A local webhook receiver over real HTTP, on a free port: keeps what each request carried, after failing the first few. */
public final class WebhookReceiver {

  /** A received request: its path, content type, ntfy Title header and body. */
  public record Received(String path, String contentType, String title, String body) {}

  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final HttpServer server;

  private WebhookReceiver(Vertx vertx, int failFirst) {
    AtomicInteger seen = new AtomicInteger();
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      if (seen.incrementAndGet() <= failFirst) {
        req.response().setStatusCode(503).end();
        return;
      }
      received.add(new Received(req.path(), req.getHeader("Content-Type"), req.getHeader("Title"), body.toString()));
      req.response().setStatusCode(204).end();
    })).listen(0, "127.0.0.1").await();
  }

  /** Listening, answering 503 to the first {@code failFirst} requests and 204 to the rest. */
  public static WebhookReceiver start(Vertx vertx, int failFirst) {
    return new WebhookReceiver(vertx, failFirst);
  }

  /** A webhook URL on this receiver. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  /** The next request received, or null when none came within {@code millis}. */
  public Received next(long millis) throws InterruptedException {
    return received.poll(millis, TimeUnit.MILLISECONDS);
  }
}
