package io.github.anilistmalsync.cli;

import io.github.anilistmalsync.config.ConfigLoader;
import io.github.anilistmalsync.config.ConfigProblem;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While {@code run} waits for its config to be filled in or fixed, something must answer on the web port: the
 * container's health check asks {@code /health/live}, and a person who opens the address should read why nothing else
 * is there yet instead of a refused connection. Answers only that; it is closed before the service itself starts.
 * It names the problems by key and message (the validator never quotes a secret's value), never the file's lines.
 */
final class WaitingServer {
  private static final Logger LOG = LoggerFactory.getLogger(WaitingServer.class);

  private final HttpServer server;
  private volatile List<ConfigProblem> problems = List.of();

  private WaitingServer(HttpServer server) {
    this.server = server;
  }

  /** Listens on the web port the file or the environment names (the defaults otherwise); null if that port is busy. */
  static WaitingServer start(Vertx vertx, ConfigLoader.Sources sources, Map<String, String> env) {
    JsonObject file = new JsonObject();
    try {
      file = ConfigLoader.readFile(vertx, sources.file()).await();
    } catch (Exception unreadable) {
      // an unreadable file still gets the default address
    }
    JsonObject web = file.getValue("web") instanceof JsonObject w ? w : new JsonObject();
    String host = env.getOrDefault("WEB_HOST", web.getValue("host") instanceof String h && !h.isBlank() ? h : "0.0.0.0");
    int port = port(env.get("WEB_PORT"), web.getValue("port"));
    HttpServer server = vertx.createHttpServer();
    WaitingServer waiting = new WaitingServer(server);
    server.requestHandler(request -> {
      if (request.path().equals("/health/live")) {
        request.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("status", "UP").put("waitingForConfig", true).encode());
        return;
      }
      JsonArray list = new JsonArray();
      waiting.problems.forEach(p -> list.add(p.toString()));
      request.response().setStatusCode(503).putHeader("Content-Type", "application/json").putHeader("Retry-After", "60")
          .end(new JsonObject().put("status", "waiting for a valid config")
              .put("file", sources.file().toString()).put("problems", list).encode());
    });
    try {
      server.listen(port, host).await();
      LOG.info("waiting for a valid {}: http://{}:{}/health/live answers meanwhile", sources.file(),
          host.equals("0.0.0.0") ? "localhost" : host, server.actualPort());
      return waiting;
    } catch (Exception busy) {
      LOG.warn("could not listen on {}:{} while waiting for the config: {}", host, port, busy.getMessage());
      return null;
    }
  }

  private static int port(String fromEnv, Object fromFile) {
    try {
      if (fromEnv != null) return Integer.parseInt(fromEnv.trim());
    } catch (NumberFormatException e) {
      // the config's own check names it
    }
    if (fromFile instanceof Number n && n.intValue() > 0 && n.intValue() < 65536) return n.intValue();
    return 8080;
  }

  void problems(List<ConfigProblem> found) {
    problems = List.copyOf(found);
  }

  void close() {
    server.close().await();
  }
}
