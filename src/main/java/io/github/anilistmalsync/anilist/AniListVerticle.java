package io.github.anilistmalsync.anilist;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.bus.BusReplies;
import io.github.anilistmalsync.bus.FetchedLists;
import io.github.anilistmalsync.client.ChangesSince;
import io.github.anilistmalsync.client.RequestMetrics;
import io.github.anilistmalsync.client.TokenSource;
import io.github.anilistmalsync.client.Upstream;
import io.github.anilistmalsync.config.AppConfig;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The AniList client verticle: answers the anilist.* addresses by talking GraphQL to AniList. */
public class AniListVerticle extends VerticleBase {
  private final TokenSource tokens;
  private final Upstream.Options options;
  private AniListClient client;

  /** In the service: tokens from the token service over the bus. */
  public AniListVerticle() {
    this(null, Upstream.Options.defaults());
  }

  public AniListVerticle(TokenSource tokens, Upstream.Options options) {
    this.tokens = tokens;
    this.options = options;
  }

  @Override
  public Future<?> start() {
    AppConfig config = AppConfig.of(config());
    client = new AniListClient(vertx,
        new AniListClient.Settings(config.string("anilist.api_url"), config.number("anilist.requests_per_minute"),
            config.string("anilist.username"), options, io.github.anilistmalsync.client.UserAgent.of(config)),
        tokens != null ? tokens : TokenSource.overBus(vertx, AniListClient.SERVICE),
        new RequestMetrics(Metrics.globalRegistry));
    FetchedLists.registerCodecs(vertx);
    var bus = vertx.eventBus();
    return Future.all(List.of(
        bus.consumer(Addresses.ANILIST_PING, msg -> msg.reply(new JsonObject().put("verticle", "anilist"))).completion(),
        bus.<JsonObject>consumer(Addresses.ANILIST_VIEWER, msg -> BusReplies.answer(msg, body ->
            client.viewer().map(AniListClient.Viewer::toJson))).completion(),
        bus.<JsonObject>consumer(Addresses.ANILIST_LIST_FETCH, msg -> BusReplies.answer(msg, body -> {
          MediaType type = MediaType.parse(body.getString("type"));
          return client.viewer().compose(viewer -> client.read(type)
              .map(read -> new FetchedLists.AniListList(viewer.id(), viewer.scoreFormat(), read.entries(), read.skipped())));
        })).completion(),
        bus.<JsonObject>consumer(Addresses.ANILIST_ENTRIES_CHECK, msg -> BusReplies.answer(msg, body ->
            client.viewer().compose(viewer -> client.entriesFor(MediaType.parse(body.getString("type")), mediaIds(body))
                .map(read -> new FetchedLists.AniListList(viewer.id(), viewer.scoreFormat(), read.entries(), read.skipped()))))).completion(),
        bus.<JsonObject>consumer(Addresses.ANILIST_MEDIA_LOOKUP, msg -> BusReplies.answer(msg, body -> {
          List<MalId> ids = body.getJsonArray("malIds", new JsonArray()).stream().map(o -> new MalId(((Number) o).intValue())).toList();
          MediaType type = MediaType.parse(body.getString("type"));
          return (body.containsKey("mediaIds") ? client.media(type, mediaIds(body)) : client.lookUp(type, ids)).map(found -> {
            JsonArray out = new JsonArray();
            found.forEach(m -> out.add(m.toJson()));
            return new JsonObject().put("media", out);
          });
        })).completion(),
        bus.<JsonObject>consumer(Addresses.ANILIST_ENTRY_SAVE, msg -> BusReplies.answer(msg, body ->
            client.saveSkippingRefused(body.getLong("entryId"), body.getInteger("mediaId"), body.getJsonObject("fields", new JsonObject()))
                .map(AniListVerticle::savedJson))).completion(),
        bus.<JsonObject>consumer(Addresses.ANILIST_ENTRY_DELETE, msg -> BusReplies.answer(msg, body ->
            client.delete(body.getLong("entryId")).map(deleted -> new JsonObject().put("deleted", deleted)))).completion(),
        bus.<JsonObject>consumer(Addresses.ANILIST_LIST_CHANGES, msg -> BusReplies.answer(msg, this::changes)).completion()));
  }

  private static List<Integer> mediaIds(JsonObject body) {
    return body.getJsonArray("mediaIds", new JsonArray()).stream().map(o -> ((Number) o).intValue()).toList();
  }

  private static JsonObject savedJson(AniListClient.Saved saved) {
    JsonObject out = new JsonObject().put("entry", saved.entry().toJson());
    if (!saved.refused().isEmpty()) out.put("refused", new JsonArray(saved.refused().stream().map(AniListClient.Refused::toJson).toList()));
    return out;
  }

  @Override
  public Future<?> stop() {
    if (client != null) client.close();
    return Future.succeededFuture();
  }

  /** Live sync's read of every asked type in one request (see {@link Addresses#ANILIST_LIST_CHANGES}). */
  private Future<JsonObject> changes(JsonObject body) {
    java.util.Map<MediaType, ChangesSince> since = new java.util.EnumMap<>(MediaType.class);
    JsonObject marks = body.getJsonObject("since", new JsonObject());
    for (Object t : body.getJsonArray("types", new JsonArray())) {
      MediaType type = MediaType.parse(String.valueOf(t));
      since.put(type, ChangesSince.fromJson(marks.getJsonObject(type.name())));
    }
    return client.viewer().compose(viewer -> client.changes(since).map(found -> {
      JsonObject out = new JsonObject().put("userId", viewer.id()).put("scoreFormat", viewer.scoreFormat());
      found.forEach((type, entries) -> out.put(type.name(), entriesJson(entries)));
      return out;
    }));
  }

  private static JsonArray entriesJson(List<io.github.anilistmalsync.model.AniListEntry> entries) {
    JsonArray out = new JsonArray();
    entries.forEach(e -> out.add(e.toJson()));
    return out;
  }
}
