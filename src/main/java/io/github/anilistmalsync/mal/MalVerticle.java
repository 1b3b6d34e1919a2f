package io.github.anilistmalsync.mal;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.bus.BusReplies;
import io.github.anilistmalsync.bus.FetchedLists;
import io.github.anilistmalsync.client.ChangesSince;
import io.github.anilistmalsync.client.RequestMetrics;
import io.github.anilistmalsync.client.TokenSource;
import io.github.anilistmalsync.client.Upstream;
import io.github.anilistmalsync.client.UserAgent;
import io.github.anilistmalsync.config.AppConfig;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/** The MyAnimeList client verticle: answers the mal.* addresses by talking to MAL's REST API v2. */
public class MalVerticle extends VerticleBase {
  private final TokenSource tokens;
  private final Upstream.Options options;
  private MalClient client;

  /** In the service: tokens from the token service over the bus. */
  public MalVerticle() {
    this(null, Upstream.Options.defaults());
  }

  public MalVerticle(TokenSource tokens, Upstream.Options options) {
    this.tokens = tokens;
    this.options = options;
  }

  @Override
  public Future<?> start() {
    AppConfig config = AppConfig.of(config());
    client = new MalClient(vertx,
        new MalClient.Settings(config.string("myanimelist.api_url"), config.number("myanimelist.requests_per_second"), options,
            UserAgent.of(config), config.string("myanimelist.username")),
        tokens != null ? tokens : TokenSource.overBus(vertx, MalClient.SERVICE),
        new RequestMetrics(Metrics.globalRegistry));
    FetchedLists.registerCodecs(vertx);
    var bus = vertx.eventBus();
    return Future.all(
        bus.consumer(Addresses.MAL_PING, msg -> msg.reply(new JsonObject().put("verticle", "mal"))).completion(),
        bus.<JsonObject>consumer(Addresses.MAL_LIST_FETCH, msg -> BusReplies.answer(msg, body ->
            client.fetch(type(body)))).completion(),
        bus.<JsonObject>consumer(Addresses.MAL_ENTRY_SAVE, msg -> BusReplies.answer(msg, body ->
            client.save(type(body), new MalId(body.getInteger("malId")), body.getString("title"), body.getJsonObject("fields", new JsonObject()))
                .map(saved -> new JsonObject().put("entry", saved.toJson())))).completion(),
        bus.<JsonObject>consumer(Addresses.MAL_ENTRY_DELETE, msg -> BusReplies.answer(msg, body ->
            client.delete(type(body), new MalId(body.getInteger("malId"))).map(deleted -> new JsonObject().put("deleted", deleted)))).completion(),
        bus.<JsonObject>consumer(Addresses.MAL_LIST_CHANGES, msg -> BusReplies.answer(msg, body -> {
          return client.changes(type(body), ChangesSince.fromJson(body.getJsonObject("since"))).map(found -> {
            io.vertx.core.json.JsonArray out = new io.vertx.core.json.JsonArray();
            found.forEach(e -> out.add(e.toJson()));
            return new JsonObject().put("entries", out);
          });
        })).completion(),
        bus.<JsonObject>consumer(Addresses.MAL_ENTRY_FETCH, msg -> BusReplies.answer(msg, body ->
            client.entry(type(body), new MalId(body.getInteger("malId")))
                .map(found -> new JsonObject().put("entry", found == null ? null : found.toJson())))).completion());
  }

  @Override
  public Future<?> stop() {
    if (client != null) client.close();
    return Future.succeededFuture();
  }

  private static MediaType type(JsonObject body) {
    return MediaType.parse(body.getString("type"));
  }
}
