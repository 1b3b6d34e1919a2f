package io.github.anilistmalsync.sync.core;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the planner looks at for one type: the last synced state, both lists as fetched (complete lists
 * only), what the map phase learnt, the options and the time. {@code lookedUp} holds the AniList media ids found for
 * MAL-only entries; {@code pinned} the user's own MAL id → AniList id pins; {@code ignored} entries to leave alone;
 * {@code refusals} what the services refused before; {@code settle} the pairs the user asked to settle, with the
 * side whose values to keep; {@code partial} the sides whose list left out entries it could not read — an entry
 * missing from such a list is not taken for deleted.
 */
public record PlanInput(MediaType type, List<Baseline> baselines, List<Tombstone> tombstones, List<AniListEntry> anilist,
                        List<MalEntry> mal, Map<MalId, AniListMediaId> lookedUp, Map<MalId, AniListMediaId> pinned,
                        Set<MalId> ignored, List<Refusal> refusals, Map<MalId, Side> settle, Set<Side> partial,
                        SyncOptions options, Instant now) {

  public PlanInput(MediaType type, List<Baseline> baselines, List<Tombstone> tombstones, List<AniListEntry> anilist,
                   List<MalEntry> mal, Map<MalId, AniListMediaId> lookedUp, Map<MalId, AniListMediaId> pinned,
                   Set<MalId> ignored, SyncOptions options, Instant now) {
    this(type, baselines, tombstones, anilist, mal, lookedUp, pinned, ignored, List.of(), Map.of(), Set.of(), options, now);
  }
}
