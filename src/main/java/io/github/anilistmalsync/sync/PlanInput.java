package io.github.anilistmalsync.sync;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListMedia;
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
 * only), what the map phase learnt, the options and the time. {@code lookedUp} holds the AniList media found for
 * MAL-only entries; {@code pinned} the user's own MAL id → AniList id pins; {@code ignored} entries to leave alone.
 */
public record PlanInput(MediaType type, List<Baseline> baselines, List<Tombstone> tombstones, List<AniListEntry> anilist,
                        List<MalEntry> mal, Map<MalId, AniListMedia> lookedUp, Map<MalId, AniListMediaId> pinned,
                        Set<MalId> ignored, SyncOptions options, Instant now) {}
