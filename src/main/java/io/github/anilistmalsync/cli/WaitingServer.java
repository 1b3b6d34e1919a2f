package io.github.anilistmalsync.cli;

import io.github.anilistmalsync.config.ConfigLoader;
import io.github.anilistmalsync.config.ConfigProblem;
import io.github.anilistmalsync.web.FirstRunSetup;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While {@code run} waits for its config to be filled in or fixed, something must answer on the web port: the
 * container's health check asks {@code /health/live}, and a person who opens the address gets the browser setup
 * ({@link FirstRunSetup}, behind the one-time code of the log's setup line) instead of a refused connection. Anything
 * else is a 503 naming the problems by key and message (the validator never quotes a secret's value), never the
 * file's lines. It is closed before the service itself starts.
 */
final class WaitingServer {
  private static final Logger LOG = LoggerFactory.getLogger(WaitingServer.class);

  private final HttpServer server;
  /** Released when the setup has written the config: the launcher checks it again at once. */
  private final Semaphore changed = new Semaphore(0);
  private volatile List<ConfigProblem> problems = List.of();

  private WaitingServer(HttpServer server) {
    this.server = server;
  }

  /** Listens on the web port the flags, the environment or the file name (the defaults otherwise); null if that port is busy. */
  static WaitingServer start(Vertx vertx, ConfigLoader.Sources sources, Map<String, String> env) {
    JsonObject file = new JsonObject();
    try {
      file = ConfigLoader.readFile(vertx, sources.file()).await();
    } catch (Exception unreadable) {
      // an unreadable file still gets the default address
    }
    JsonObject web = file.getValue("web") instanceof JsonObject w ? w : new JsonObject();
    JsonObject flags = sources.flags().getValue("web") instanceof JsonObject f ? f : new JsonObject();
    String host = flags.getValue("host") instanceof String h ? h
        : env.getOrDefault("WEB_HOST", web.getValue("host") instanceof String h && !h.isBlank() ? h : "0.0.0.0");
    int port = flags.getValue("port") instanceof Number n ? n.intValue() : port(env.get("WEB_PORT"), web.getValue("port"));
    HttpServer server = vertx.createHttpServer();
    WaitingServer waiting = new WaitingServer(server);
    String code = FirstRunSetup.newCode();
    Router router = Router.router(vertx);
    router.get("/health/live").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("status", "UP").put("waitingForConfig", true).encode()));
    new FirstRunSetup(vertx, sources, code, waiting.changed::release).register(router);
    router.routeWithRegex(HttpMethod.GET, "/(style\\.css|app\\.js|setup\\.js|favicon\\.svg)").handler(StaticHandler.create("webroot").setCachingEnabled(false));
    // a person's browser goes to the setup page; a script or a probe gets the 503 below, naming the problems
    router.get("/").handler(ctx -> {
      String accept = ctx.request().getHeader("Accept");
      if (accept != null && accept.contains("text/html")) ctx.redirect("/setup");
      else ctx.next();
    });
    router.route().handler(ctx -> {
      JsonArray list = new JsonArray();
      waiting.problems.forEach(p -> list.add(p.toString()));
      ctx.response().setStatusCode(503).putHeader("Content-Type", "application/json").putHeader("Retry-After", "60")
          .end(new JsonObject().put("status", "waiting for a valid config")
              .put("file", sources.file().toString()).put("problems", list).put("setup", "/setup").encode());
    });
    server.requestHandler(router);
    try {
      server.listen(port, host).await();
      String address = ServiceLauncher.browserAddress(host, server.actualPort());
      LOG.info("waiting for a valid {}: {}health/live answers meanwhile", sources.file(), address);
      System.out.println("Set up in your browser: " + address + "setup?code=" + code);
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

  /** Waits up to {@code period} for the setup to write the config; true when it did. */
  boolean awaitSetup(Duration period) throws InterruptedException {
    return changed.tryAcquire(period.toMillis(), TimeUnit.MILLISECONDS);
  }

  void close() {
    server.close().await();
  }
}
