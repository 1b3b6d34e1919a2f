package io.github.anilistmalsync.sync.core;

import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;

/** Which AniList media and which MAL entry are the same show or book, within one type. */
public record PairKey(MediaType type, MalId malId, AniListMediaId aniListId) {}
