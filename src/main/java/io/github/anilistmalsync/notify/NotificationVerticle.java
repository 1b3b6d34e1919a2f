package io.github.anilistmalsync.notify;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.config.AppConfig;
import io.github.anilistmalsync.config.ConfigInForce;
import io.github.anilistmalsync.config.ConfigSchema;
import io.github.anilistmalsync.sync.TypeCounts;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.github.anilistmalsync.words.ChangeWords;
import io.github.anilistmalsync.words.RunWords;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook notifications ({@code notifications.webhooks}): a run that changed something, a run that failed, a service
 * that needs sign-in, an AniList token about to expire, and — only to a webhook that lists it — a live poll that
 * wrote; each delivered as JSON, a Discord message or an ntfy post, with a timeout and retries, off the sync's path (a
 * slow or broken receiver never delays a sync). Webhook URLs carry tokens, so a log line names a webhook by its
 * position, never by its URL.
 */
public class NotificationVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(NotificationVerticle.class);
  private static final int TITLES_SAID = 3;
  private static final int CHANGES_SAID = 20;

  private final Duration firstRetry;
  private final int attempts;
  private WebClient web;
  private ConfigInForce config;

  public NotificationVerticle() {
    this(Duration.ofSeconds(5), 4);
  }

  /** Tests use short retries. */
  public NotificationVerticle(Duration firstRetry, int attempts) {
    this.firstRetry = firstRetry;
    this.attempts = attempts;
  }

  @Override
  public Future<?> start() {
    web = WebClient.create(vertx, new WebClientOptions().setUserAgent("anilist-mal-sync").setConnectTimeout(5_000));
    config = new ConfigInForce(config());
    var bus = vertx.eventBus();
    return Future.all(
        bus.<JsonObject>consumer(Addresses.SYNC_FINISHED, this::onRunFinished).completion(),
        bus.<JsonObject>consumer(Addresses.SYNC_LIVE_POLLED, this::onLivePolled).completion(),
        bus.<JsonObject>consumer(Addresses.AUTH_STATE, this::onAuthState).completion(),
        config.follow(bus));
  }

  @Override
  public Future<?> stop() {
    if (web != null) web.close();
    return Future.succeededFuture();
  }

  private static JsonArray webhooks(AppConfig config) {
    Object v = config.get("notifications.webhooks");
    return v instanceof JsonArray a ? a : new JsonArray();
  }

  private void onRunFinished(Message<JsonObject> msg) {
    JsonObject run = msg.body();
    String result = run.getString("result", "failed");
    if ("ok".equals(result)) {
      if (run.getBoolean("dryRun", false)) return;
      int changed = 0;
      JsonObject types = run.getJsonObject("types", new JsonObject());
      for (String type : types.fieldNames()) {
        changed += TypeCounts.fromJson(types.getJsonObject(type)).changed();
      }
      if (changed == 0) return;
      String head = "Sync " + run.getString("runId") + ": " + RunWords.entries(changed) + " changed";
      changesInWords(run.getString("runId"))
          .onComplete(lines -> notifyAll("run_changed", lines.succeeded() && !lines.result().isEmpty()
              ? head + "\n" + String.join("\n", lines.result()) : head, run));
    } else {
      notifyAll("run_failed", "Sync " + run.getString("runId") + " ended "
          + ("failed".equals(result) ? "failed" : "early (" + RunWords.inASentence(result) + ")") + ": "
          + String.join("; ", run.getJsonArray("errors", new JsonArray()).stream().map(String::valueOf).limit(3).toList()), run);
    }
  }

  /**
   * The run's writes in a user's words, one line each ("Frieren: Updated on AniList — Score 5 → 6 …"), at most
   * {@value #CHANGES_SAID} and "and N more"; fails when the run cannot be read (the message then goes without them).
   */
  private Future<List<String>> changesInWords(String runId) {
    return vertx.eventBus().<JsonObject>request(Addresses.SYNC_RUN, new JsonObject().put("runId", runId),
            new DeliveryOptions().setSendTimeout(10_000))
        .map(reply -> {
          JsonObject detail = reply.body();
          ChangeWords words = ChangeWords.forRun(detail, Instant.now());
          boolean plan = Boolean.TRUE.equals(detail.getBoolean("dryRun"));
          List<String> lines = new ArrayList<>();
          int written = 0;
          for (Object o : detail.getJsonArray("operations", new JsonArray())) {
            if (!(o instanceof JsonObject row) || !"applied".equals(row.getString("status"))) continue;
            written++;
            if (lines.size() < CHANGES_SAID) lines.add(words.summary(row, plan));
          }
          if (written > CHANGES_SAID) lines.add("and " + (written - CHANGES_SAID) + " more");
          return lines;
        });
  }

  /**
   * A live poll that wrote (live_changed). A live poll that failed tells no one: the next poll reads the same edits
   * again, and a service that stays down fails the next full sync, which is told (run_failed).
   */
  private void onLivePolled(Message<JsonObject> msg) {
    JsonObject poll = msg.body();
    if (!"synced".equals(poll.getString("result")) || poll.getBoolean("dryRun", false)) return;
    int changed = 0;
    List<String> titles = new java.util.ArrayList<>();
    JsonObject carried = poll.getJsonObject("carried", new JsonObject());
    for (String type : carried.fieldNames()) {
      JsonObject c = carried.getJsonObject(type);
      TypeCounts counts = TypeCounts.fromJson(c);
      changed += counts.created() + counts.updated();
      c.getJsonArray("titles", new JsonArray()).forEach(t -> titles.add(String.valueOf(t)));
    }
    if (changed == 0) return;
    String said = String.join(", ", titles.stream().limit(TITLES_SAID).toList()) + (titles.size() > TITLES_SAID ? ", …" : "");
    notifyAll("live_changed", "Live sync " + poll.getString("runId") + ": " + RunWords.entries(changed) + " changed"
        + (said.isEmpty() ? "" : " (" + said + ")"), poll);
  }

  private void onAuthState(Message<JsonObject> msg) {
    String service = "anilist".equals(msg.body().getString("service")) ? "AniList" : "MyAnimeList";
    switch (msg.body().getString("state", "")) {
      case "needsSignIn" -> notifyAll("signin_needed", service + " needs sign-in: open the dashboard and press Connect", msg.body());
      case "expiring" -> notifyAll("token_expiring", "The " + service + " token expires in "
          + RunWords.count(msg.body().getInteger("daysLeft", 0), "day") + ": sign in again before then", msg.body());
      default -> {
        // signed in: nothing to tell
      }
    }
  }

  private void notifyAll(String event, String message, JsonObject details) {
    JsonArray hooks = webhooks(config.get());
    for (int i = 0; i < hooks.size(); i++) {
      JsonObject hook = hooks.getJsonObject(i);
      JsonArray wanted = hook.getJsonArray("events");
      if (wanted == null ? ConfigSchema.WEBHOOK_OPT_IN_EVENTS.contains(event) : !wanted.contains(event)) continue;
      int position = i + 1;
      deliver(hook, event, message, details, 1)
          .onSuccess(v -> LOG.info("notification {} delivered to webhook #{}", event, position))
          .onFailure(e -> LOG.warn("notification {} could not be delivered to webhook #{} after {} attempts: {}", event, position, attempts,
              e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replace(hook.getString("url"), "<webhook url>")));
    }
  }

  private Future<Void> deliver(JsonObject hook, String event, String message, JsonObject details, int attempt) {
    String format = hook.getString("format", "json");
    HttpRequest<Buffer> request = web.postAbs(hook.getString("url")).timeout(10_000);
    Future<?> sent = switch (format) {
      case "discord" -> request.sendJsonObject(new JsonObject().put("content", message));
      case "ntfy" -> request.putHeader("Title", "anilist-mal-sync").putHeader("Tags", event).sendBuffer(Buffer.buffer(message));
      default -> request.sendJsonObject(new JsonObject().put("event", event).put("message", message).put("details", details));
    };
    return sent
        .compose(r -> {
          int status = ((io.vertx.ext.web.client.HttpResponse<?>) r).statusCode();
          return status >= 200 && status < 300 ? Future.<Void>succeededFuture() : Future.<Void>failedFuture("HTTP " + status);
        })
        .recover(e -> {
          if (attempt >= attempts) return Future.failedFuture(e);
          Promise<Void> later = Promise.promise();
          vertx.setTimer(firstRetry.toMillis() << (attempt - 1), id -> deliver(hook, event, message, details, attempt + 1).onComplete(later));
          return later.future();
        });
  }
}
