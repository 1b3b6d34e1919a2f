package io.github.anilistmalsync.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.config.AppConfig;
import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sync.CoreJson;
import io.github.anilistmalsync.sync.core.Change;
import io.github.anilistmalsync.sync.core.Operation;
import io.github.anilistmalsync.sync.core.PairKey;
import io.github.anilistmalsync.sync.core.Side;
import io.github.anilistmalsync.sync.core.Unit;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Webhooks delivered to local receivers over real HTTP, in each format, with retries. */
@ExtendWith(VertxExtension.class)
class NotificationVerticleTest {

  private static final JsonObject CHANGED_RUN = new JsonObject().put("runId", "r1").put("result", "ok").put("dryRun", false)
      .put("types", new JsonObject().put("ANIME", new JsonObject().put("created", 1).put("updated", 2)));

  private void deploy(Vertx vertx, JsonArray hooks) {
    JsonObject conf = new JsonObject().put(AppConfig.DATA_DIR, "data").put("notifications", new JsonObject().put("webhooks", hooks));
    vertx.deployVerticle(new NotificationVerticle(Duration.ofMillis(20), 4), new DeploymentOptions().setConfig(conf)).await();
  }

  @Test
  void eachFormatReceivesTheEventsItAskedFor(Vertx vertx) throws Exception {
    WebhookReceiver received = WebhookReceiver.start(vertx, 0);
    String base = received.url("");
    deploy(vertx, new JsonArray()
        .add(new JsonObject().put("url", base + "/json").put("format", "json"))
        .add(new JsonObject().put("url", base + "/discord").put("format", "discord").put("events", new JsonArray().add("run_changed")))
        .add(new JsonObject().put("url", base + "/ntfy").put("format", "ntfy").put("events", new JsonArray().add("signin_needed"))));

    vertx.eventBus().publish(Addresses.SYNC_FINISHED, CHANGED_RUN);
    WebhookReceiver.Received a = received.next(5_000);
    WebhookReceiver.Received b = received.next(5_000);
    assertThat(java.util.List.of(a.path(), b.path())).containsExactlyInAnyOrder("/json", "/discord");
    WebhookReceiver.Received json = a.path().equals("/json") ? a : b;
    WebhookReceiver.Received discord = a.path().equals("/json") ? b : a;
    assertThat(new JsonObject(json.body()).getString("event")).isEqualTo("run_changed");
    assertThat(new JsonObject(discord.body()).getString("content")).contains("3 entries changed");

    vertx.eventBus().publish(Addresses.AUTH_STATE, new JsonObject().put("service", "mal").put("state", "needsSignIn"));
    WebhookReceiver.Received c = received.next(5_000);
    WebhookReceiver.Received d = received.next(5_000);
    WebhookReceiver.Received ntfy = c.path().equals("/ntfy") ? c : d;
    assertThat(ntfy.path()).isEqualTo("/ntfy");
    assertThat(ntfy.title()).isEqualTo("anilist-mal-sync");
    assertThat(ntfy.body()).contains("MyAnimeList needs sign-in");
    assertThat(received.next(300)).isNull();
  }

  @Test
  void aRunThatWroteIsToldWithEachChangeInWordsAndTheRestCounted(Vertx vertx) throws Exception {
    WebhookReceiver received = WebhookReceiver.start(vertx, 0);
    deploy(vertx, new JsonArray().add(new JsonObject().put("url", received.url("/discord")).put("format", "discord")));
    // the run journal as the coordinator answers sync.run: 22 applied writes of MAL scores, one failed
    Map<Unit, Change<?>> changes = new EnumMap<>(Unit.class);
    changes.put(Unit.SCORE, new Change.Score(Side.MAL, 5, 6));
    JsonArray operations = new JsonArray();
    for (int i = 1; i <= 23; i++) {
      Operation op = new Operation(new PairKey(MediaType.ANIME, new MalId(i), new AniListMediaId(100 + i)), Side.MAL,
          Operation.Kind.UPDATE, "Frieren " + i, null, changes, "score from AniList", null, null);
      operations.add(new JsonObject().put("seq", i).put("status", i == 23 ? "failed" : "applied").put("operation", CoreJson.operation(op)));
    }
    vertx.eventBus().<JsonObject>consumer(Addresses.SYNC_RUN, msg -> msg.reply(new JsonObject().put("id", "r9")
        .put("dryRun", false).put("summary", new JsonObject()).put("operations", operations))).completion().await();

    vertx.eventBus().publish(Addresses.SYNC_FINISHED, new JsonObject().put("runId", "r9").put("result", "ok").put("dryRun", false)
        .put("types", new JsonObject().put("ANIME", new JsonObject().put("updated", 22))));
    String message = new JsonObject(received.next(5_000).body()).getString("content");
    assertThat(message).startsWith("Sync r9: 22 entries changed\n")
        .contains("Frieren 1: Updated on MyAnimeList — Score 5 → 6 (MyAnimeList)")
        .contains("Frieren 20: ").doesNotContain("Frieren 21: ").doesNotContain("Frieren 23")
        .endsWith("\nand 2 more")
        .doesNotContain("scoreRaw").doesNotContain("score: ").doesNotContain("{");
  }

  @Test
  void aReceiverThatFailsTwiceGetsTheNotificationOnTheThirdTry(Vertx vertx) throws Exception {
    WebhookReceiver received = WebhookReceiver.start(vertx, 2);
    deploy(vertx, new JsonArray().add(new JsonObject().put("url", received.url("/hook")).put("format", "json")));
    vertx.eventBus().publish(Addresses.SYNC_FINISHED, new JsonObject().put("runId", "r2").put("result", "failed")
        .put("errors", new JsonArray().add("MyAnimeList: unavailable")));
    WebhookReceiver.Received r = received.next(5_000);
    assertThat(r).isNotNull();
    assertThat(new JsonObject(r.body()).getString("message")).contains("ended failed", "MyAnimeList: unavailable");
  }

  @Test
  void aDryRunOrARunThatChangedNothingSendsNothing(Vertx vertx) throws Exception {
    WebhookReceiver received = WebhookReceiver.start(vertx, 0);
    deploy(vertx, new JsonArray().add(new JsonObject().put("url", received.url("/hook"))));
    vertx.eventBus().publish(Addresses.SYNC_FINISHED, CHANGED_RUN.copy().put("dryRun", true));
    vertx.eventBus().publish(Addresses.SYNC_FINISHED, new JsonObject().put("runId", "r3").put("result", "ok")
        .put("types", new JsonObject().put("ANIME", new JsonObject().put("created", 0))));
    assertThat(received.next(500)).isNull();
  }

  @Test
  void aLivePollIsToldOnlyToAWebhookThatListsLiveChangedAndOnlyWhenItWrote(Vertx vertx) throws Exception {
    WebhookReceiver received = WebhookReceiver.start(vertx, 0);
    deploy(vertx, new JsonArray()
        .add(new JsonObject().put("url", received.url("/all")))
        .add(new JsonObject().put("url", received.url("/live")).put("events", new JsonArray().add("live_changed"))));
    JsonObject wrote = new JsonObject().put("result", "synced").put("runId", "r9").put("dryRun", false).put("carried", new JsonObject()
        .put("ANIME", new JsonObject().put("created", 0).put("updated", 1).put("titles", new JsonArray().add("Show 7 (AniList)"))));

    // a dry run and a poll that found nothing write nothing: no one is told
    vertx.eventBus().publish(Addresses.SYNC_LIVE_POLLED, wrote.copy().put("dryRun", true));
    vertx.eventBus().publish(Addresses.SYNC_LIVE_POLLED, new JsonObject().put("result", "idle").put("carried", new JsonObject()));
    vertx.eventBus().publish(Addresses.SYNC_LIVE_POLLED, wrote);

    WebhookReceiver.Received live = received.next(5_000);
    assertThat(live.path()).isEqualTo("/live");
    assertThat(new JsonObject(live.body()).getString("event")).isEqualTo("live_changed");
    assertThat(new JsonObject(live.body()).getString("message")).contains("Live sync r9: 1 entry changed", "Show 7 (AniList)");
    // the webhook without a list of events hears of the next full sync, and heard nothing of the poll before it
    vertx.eventBus().publish(Addresses.SYNC_FINISHED, CHANGED_RUN);
    WebhookReceiver.Received next = received.next(5_000);
    assertThat(next.path()).isEqualTo("/all");
    assertThat(new JsonObject(next.body()).getString("event")).isEqualTo("run_changed");
    assertThat(received.next(300)).isNull();
  }
}
