package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListMedia;
import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.store.PairStore;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** The map step: which AniList media each MAL-only entry is, from the pins, earlier lookups and one batched lookup. */
final class IdMapper {
  private final PairStore pairs;
  private final ServiceGateway gateway;
  private final ProgressPublisher progress;
  private final Supplier<Instant> clock;

  IdMapper(PairStore pairs, ServiceGateway gateway, ProgressPublisher progress, Supplier<Instant> clock) {
    this.pairs = pairs;
    this.gateway = gateway;
    this.progress = progress;
    this.clock = clock;
  }

  /**
   * Finds AniList media for MAL entries that no AniList entry names: pins and earlier lookups first, then one
   * batched lookup for the rest — except those already missed within the last day. Answers the pins, the ignored
   * MAL ids, and the media ids found for MAL-only entries (earlier and now).
   */
  Future<PairStore.Mappings> map(MediaType type, List<AniListEntry> aniList, List<MalEntry> mal) {
    Instant now = clock.get();
    return pairs.mappings(type).compose(known -> {
      Set<MalId> paired = new HashSet<>();
      for (AniListEntry e : aniList) {
        if (e.media().idMal() != null) paired.add(e.media().idMal());
      }
      Map<MalId, AniListMediaId> lookedUp = new HashMap<>();
      List<MalId> candidates = new ArrayList<>();
      for (MalEntry e : mal) {
        MalId id = e.id();
        if (paired.contains(id) || known.pinned().containsKey(id) || known.ignored().contains(id)) continue;
        AniListMediaId earlier = known.lookedUp().get(id);
        if (earlier != null) {
          lookedUp.put(id, earlier);
        } else {
          candidates.add(id);
        }
      }
      return pairs.dueForLookup(type, candidates, now).compose(due -> {
        progress.phase("map", type, 0, due.size(), null);
        return gateway.lookUp(type, due).compose(found -> {
          for (AniListMedia m : found) {
            if (m.idMal() != null) lookedUp.put(m.idMal(), m.id());
          }
          progress.phase("map", type, due.size(), due.size(), null);
          return pairs.recordLookups(type, found, due, now)
              .map(v -> new PairStore.Mappings(known.pinned(), known.ignored(), lookedUp));
        });
      });
    });
  }
}
