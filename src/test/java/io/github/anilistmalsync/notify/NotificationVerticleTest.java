package io.github.anilistmalsync.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.config.AppConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Webhooks delivered to local receivers over real HTTP, in each format, with retries. */
@ExtendWith(VertxExtension.class)
class NotificationVerticleTest {

  /** A received request: its path, content type and body. */
  record Received(String path, String contentType, String title, String body) {}

  private static final JsonObject CHANGED_RUN = new JsonObject().put("runId", "r1").put("result", "ok").put("dryRun", false)
      .put("types", new JsonObject().put("ANIME", new JsonObject().put("created", 1).put("updated", 2)));

  private HttpServer receiver(Vertx vertx, BlockingQueue<Received> into, int failFirst) {
    AtomicInteger seen = new AtomicInteger();
    return vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      if (seen.incrementAndGet() <= failFirst) {
        req.response().setStatusCode(503).end();
        return;
      }
      into.add(new Received(req.path(), req.getHeader("Content-Type"), req.getHeader("Title"), body.toString()));
      req.response().setStatusCode(204).end();
    })).listen(0, "127.0.0.1").await();
  }

  private void deploy(Vertx vertx, JsonArray hooks) {
    JsonObject conf = new JsonObject().put(AppConfig.DATA_DIR, "data").put("notifications", new JsonObject().put("webhooks", hooks));
    vertx.deployVerticle(new NotificationVerticle(Duration.ofMillis(20), 4), new DeploymentOptions().setConfig(conf)).await();
  }

  @Test
  void eachFormatReceivesTheEventsItAskedFor(Vertx vertx) throws Exception {
    BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    int port = receiver(vertx, received, 0).actualPort();
    String base = "http://127.0.0.1:" + port;
    deploy(vertx, new JsonArray()
        .add(new JsonObject().put("url", base + "/json").put("format", "json"))
        .add(new JsonObject().put("url", base + "/discord").put("format", "discord").put("events", new JsonArray().add("run_changed")))
        .add(new JsonObject().put("url", base + "/ntfy").put("format", "ntfy").put("events", new JsonArray().add("signin_needed"))));

    vertx.eventBus().publish(Addresses.SYNC_FINISHED, CHANGED_RUN);
    Received a = received.poll(5, TimeUnit.SECONDS);
    Received b = received.poll(5, TimeUnit.SECONDS);
    assertThat(java.util.List.of(a.path(), b.path())).containsExactlyInAnyOrder("/json", "/discord");
    Received json = a.path().equals("/json") ? a : b;
    Received discord = a.path().equals("/json") ? b : a;
    assertThat(new JsonObject(json.body()).getString("event")).isEqualTo("run_changed");
    assertThat(new JsonObject(discord.body()).getString("content")).contains("3 entries changed");

    vertx.eventBus().publish(Addresses.AUTH_STATE, new JsonObject().put("service", "mal").put("state", "needsSignIn"));
    Received c = received.poll(5, TimeUnit.SECONDS);
    Received d = received.poll(5, TimeUnit.SECONDS);
    Received ntfy = c.path().equals("/ntfy") ? c : d;
    assertThat(ntfy.path()).isEqualTo("/ntfy");
    assertThat(ntfy.title()).isEqualTo("anilist-mal-sync");
    assertThat(ntfy.body()).contains("MyAnimeList needs sign-in");
    assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void aReceiverThatFailsTwiceGetsTheNotificationOnTheThirdTry(Vertx vertx) throws Exception {
    BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    int port = receiver(vertx, received, 2).actualPort();
    deploy(vertx, new JsonArray().add(new JsonObject().put("url", "http://127.0.0.1:" + port + "/hook").put("format", "json")));
    vertx.eventBus().publish(Addresses.SYNC_FINISHED, new JsonObject().put("runId", "r2").put("result", "failed")
        .put("errors", new JsonArray().add("MyAnimeList: unavailable")));
    Received r = received.poll(5, TimeUnit.SECONDS);
    assertThat(r).isNotNull();
    assertThat(new JsonObject(r.body()).getString("message")).contains("ended failed", "MyAnimeList: unavailable");
  }

  @Test
  void aDryRunOrARunThatChangedNothingSendsNothing(Vertx vertx) throws Exception {
    BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    int port = receiver(vertx, received, 0).actualPort();
    deploy(vertx, new JsonArray().add(new JsonObject().put("url", "http://127.0.0.1:" + port + "/hook")));
    vertx.eventBus().publish(Addresses.SYNC_FINISHED, CHANGED_RUN.copy().put("dryRun", true));
    vertx.eventBus().publish(Addresses.SYNC_FINISHED, new JsonObject().put("runId", "r3").put("result", "ok")
        .put("types", new JsonObject().put("ANIME", new JsonObject().put("created", 0))));
    assertThat(received.poll(500, TimeUnit.MILLISECONDS)).isNull();
  }
}
