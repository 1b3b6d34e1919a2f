package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.bus.FetchedLists;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.MediaType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The fetch step's second half: AniList entries the collection left out, asked for by media id before anything is planned. */
final class AbsenceCheck {
  private AbsenceCheck() {}

  /**
   * AniList's collection is no proof of absence: it holds at most the most recently updated entries, and never an
   * entry hidden from status lists that is in no custom list. So each media the sync expects there and did not get
   * is asked for directly ({@link Addresses#ANILIST_ENTRIES_CHECK}, 50 a request) and the entries found join the list:
   * first the media of the pairs in the baseline (else their absence would read as a deletion), then, once the MAL-only
   * entries are mapped, the media they map to (else creating one, SaveMediaListEntry by mediaId, would overwrite a
   * hidden entry the user already has with MAL's values, instead of merging the two). Nothing missing, nothing asked.
   */
  static Future<FetchedLists.AniListList> confirm(Vertx vertx, MediaType type, FetchedLists.AniListList fetched,
                                                 Stream<AniListMediaId> expected) {
    Set<Integer> present = new HashSet<>();
    fetched.entries().forEach(e -> present.add(e.media().id().value()));
    JsonArray missing = new JsonArray(expected.map(AniListMediaId::value).filter(id -> !present.contains(id)).distinct().toList());
    if (missing.isEmpty()) return Future.succeededFuture(fetched);
    return vertx.eventBus().<FetchedLists.AniListList>request(Addresses.ANILIST_ENTRIES_CHECK,
            new JsonObject().put("type", type.name()).put("mediaIds", missing),
            new DeliveryOptions().setSendTimeout(Duration.ofMinutes(30).toMillis()))
        .recover(e -> Future.failedFuture(ServiceException.from(e)))
        .map(reply -> {
          List<AniListEntry> all = new ArrayList<>(fetched.entries());
          Set<Long> ids = new HashSet<>();
          all.forEach(e -> ids.add(e.id()));
          reply.body().entries().stream().filter(e -> ids.add(e.id())).forEach(all::add);
          List<String> skipped = new ArrayList<>(fetched.skipped());
          skipped.addAll(reply.body().skipped());
          return new FetchedLists.AniListList(fetched.userId(), fetched.scoreFormat(), all, skipped);
        });
  }
}
