package io.github.anilistmalsync.fault;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands between a client and a fake service on loopback and passes every exchange through, except that it lets a
 * test rewrite the answer's status and body first: the fakes' real answers, corrupted the way a broken upstream or
 * proxy would corrupt them. Links in the answers that point at the fake are rewritten to point here.
 */
final class CorruptingProxy {
  /** One request as the proxy saw it. */
  record Exchange(String method, String uri, String body) {}

  /** An answer: status and body. */
  record Answer(int status, String body) {}

  /** Rewrites the fake's answer to a request; the identity by default. */
  interface Corruption {
    Answer apply(Exchange request, Answer answer);
  }

  private final Vertx vertx;
  private final int fakePort;
  private final List<Exchange> seen = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private HttpClient client;
  private volatile Corruption corruption = (r, a) -> a;

  CorruptingProxy(Vertx vertx, int fakePort) {
    this.vertx = vertx;
    this.fakePort = fakePort;
  }

  CorruptingProxy start() {
    client = vertx.createHttpClient();
    server = vertx.createHttpServer().requestHandler(this::forward).listen(0, "127.0.0.1").await();
    return this;
  }

  void stop() {
    server.close().await();
    client.close().await();
  }

  int port() {
    return server.actualPort();
  }

  /** From now on, answers pass through {@code c}; the log of requests starts afresh. */
  void corrupt(Corruption c) {
    corruption = c;
    seen.clear();
  }

  List<Exchange> requests() {
    return List.copyOf(seen);
  }

  private void forward(HttpServerRequest in) {
    in.body().compose(body -> {
      Exchange exchange = new Exchange(in.method().name(), in.uri(), body.toString());
      seen.add(exchange);
      RequestOptions out = new RequestOptions().setMethod(HttpMethod.valueOf(in.method().name())).setHost("127.0.0.1").setPort(fakePort)
          .setURI(in.uri()).setHeaders(in.headers().copy().remove("Host").remove("Content-Length"));
      return client.request(out)
          .compose(req -> req.send(body))
          .compose(resp -> resp.body().map(b -> answer(exchange, resp, b)));
    }).onComplete(done -> {
      if (done.failed()) {
        in.response().setStatusCode(599).end(String.valueOf(done.cause()));
        return;
      }
      Answer a = done.result();
      in.response().setStatusCode(a.status()).putHeader("Content-Type", "application/json").end(a.body() == null ? "" : a.body());
    });
  }

  private Answer answer(Exchange exchange, HttpClientResponse resp, Buffer body) {
    String text = body.toString().replace("127.0.0.1:" + fakePort, "127.0.0.1:" + port());
    return corruption.apply(exchange, new Answer(resp.statusCode(), text));
  }
}
