package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.bus.FetchedLists;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.client.ChangesSince;
import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListMedia;
import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The coordinator's view of the two client verticles: typed bus requests in, model records out, failures as
 * {@link ServiceException}. The timeouts are generous because a client paces its requests: a 5,000-entry list at
 * AniList's 30 requests a minute takes its time.
 */
final class ServiceGateway {
  private static final DeliveryOptions FETCH = new DeliveryOptions().setSendTimeout(Duration.ofMinutes(30).toMillis());
  private static final DeliveryOptions WRITE = new DeliveryOptions().setSendTimeout(Duration.ofMinutes(10).toMillis());
  private static final DeliveryOptions CHECK = new DeliveryOptions().setSendTimeout(Duration.ofMinutes(1).toMillis());

  private final Vertx vertx;

  ServiceGateway(Vertx vertx) {
    this.vertx = vertx;
    FetchedLists.registerCodecs(vertx);
  }

  Future<FetchedLists.AniListList> fetchAniList(MediaType type) {
    return this.<FetchedLists.AniListList>request(Addresses.ANILIST_LIST_FETCH, new JsonObject().put("type", type.name()), FETCH);
  }

  Future<FetchedLists.MalList> fetchMal(MediaType type) {
    return request(Addresses.MAL_LIST_FETCH, new JsonObject().put("type", type.name()), FETCH);
  }

  Future<List<AniListMedia>> lookUp(MediaType type, List<MalId> malIds) {
    if (malIds.isEmpty()) return Future.succeededFuture(List.of());
    JsonArray ids = new JsonArray();
    malIds.forEach(id -> ids.add(id.value()));
    return this.<JsonObject>request(Addresses.ANILIST_MEDIA_LOOKUP, new JsonObject().put("type", type.name()).put("malIds", ids), FETCH)
        .map(body -> body.getJsonArray("media", new JsonArray()).stream()
            .map(o -> AniListMedia.fromJson((JsonObject) o)).toList());
  }

  /** The AniList media of {@code type} with this id, or null when AniList has none; a person waits for the answer. */
  Future<AniListMedia> aniListMedia(MediaType type, AniListMediaId id) {
    return this.<JsonObject>request(Addresses.ANILIST_MEDIA_LOOKUP, new JsonObject().put("type", type.name())
            .put("mediaIds", new JsonArray().add(id.value())), CHECK)
        .map(body -> body.getJsonArray("media", new JsonArray()).stream().map(o -> AniListMedia.fromJson((JsonObject) o))
            .filter(m -> m.id().equals(id)).findFirst().orElse(null));
  }

  /** Sends one write to the client verticle of {@code address}; the reply carries the entry as saved. */
  Future<JsonObject> write(String address, JsonObject body) {
    return this.<JsonObject>request(address, body, WRITE);
  }

  private <T> Future<T> request(String address, JsonObject body, DeliveryOptions options) {
    String service = address.startsWith("anilist.") ? "AniList" : "MyAnimeList";
    return vertx.eventBus().<T>request(address, body, options)
        .map(reply -> reply.body())
        .recover(e -> {
          ServiceException failure = ServiceException.from(e);
          String message = failure.getMessage() == null ? "" : failure.getMessage();
          // every failure names its service, so "needs sign-in" or "unavailable" says which one
          return Future.failedFuture(message.contains(service) ? failure
              : new ServiceException(failure.kind(), service + ": " + message, failure.retryAfter(), failure));
        });
  }


  // ---- live sync's reads ---------------------------------------------------------------------------------------

  private static final DeliveryOptions POLL = new DeliveryOptions().setSendTimeout(Duration.ofMinutes(5).toMillis());

  /** See {@link Addresses#ANILIST_LIST_CHANGES}: one request for every type in {@code since}. */
  Future<JsonObject> aniListChanges(Map<MediaType, ChangesSince> since) {
    JsonArray types = new JsonArray();
    JsonObject marks = new JsonObject();
    since.forEach((t, s) -> {
      types.add(t.name());
      marks.put(t.name(), s == null ? null : s.toJson());
    });
    return request(Addresses.ANILIST_LIST_CHANGES, new JsonObject().put("types", types).put("since", marks), POLL);
  }

  Future<List<AniListEntry>> aniListEntries(MediaType type, List<Integer> mediaIds) {
    if (mediaIds.isEmpty()) return Future.succeededFuture(List.of());
    return this.<FetchedLists.AniListList>request(Addresses.ANILIST_ENTRIES_CHECK,
            new JsonObject().put("type", type.name()).put("mediaIds", new JsonArray(new ArrayList<>(mediaIds))), POLL)
        .map(FetchedLists.AniListList::entries);
  }

  Future<List<MalEntry>> malChanges(MediaType type, ChangesSince since) {
    return this.<JsonObject>request(Addresses.MAL_LIST_CHANGES,
            new JsonObject().put("type", type.name()).put("since", since == null ? null : since.toJson()), POLL)
        .map(body -> body.getJsonArray("entries", new JsonArray()).stream().map(o -> MalEntry.fromJson((JsonObject) o)).toList());
  }

  /** One MAL title's entry on the list, or null. */
  Future<MalEntry> malEntry(MediaType type, MalId id) {
    return this.<JsonObject>request(Addresses.MAL_ENTRY_FETCH, new JsonObject().put("type", type.name()).put("malId", id.value()), POLL)
        .map(body -> body.getJsonObject("entry") == null ? null : MalEntry.fromJson(body.getJsonObject("entry")));
  }
}
