package io.github.anilistmalsync.sync.core;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Which of several AniList entries that name one MAL id is its partner. A recap special and its series often both
 * carry the series' idMal; taking whichever came first in AniList's list order let rating the special overwrite the
 * series on MAL. The choice is stable and deterministic: the user's pin, else the partner already in the baseline,
 * else the media whose format and episode count match MAL's, else the lowest AniList id. The others stay unmapped.
 */
final class SharedMalIds {
  private SharedMalIds() {}

  static AniListEntry choose(MalId malId, List<AniListEntry> claimants, MalEntry mal, AniListMediaId pinned, Baseline baseline) {
    if (claimants.size() == 1) return claimants.get(0);
    for (AniListEntry e : claimants) {
      if (e.media().id().equals(pinned)) return e;
    }
    if (baseline != null) {
      for (AniListEntry e : claimants) {
        if (e.media().id().equals(baseline.key().aniListId())) return e;
      }
    }
    return claimants.stream()
        .max(Comparator.<AniListEntry>comparingInt(e -> likeness(e, mal))
            .thenComparing(e -> -e.media().id().value()))
        .orElseThrow();
  }

  /** 2 for the same kind of media as MAL's, 1 more for the same episode or chapter count. */
  private static int likeness(AniListEntry e, MalEntry mal) {
    if (mal == null) return 0;
    int score = 0;
    if (mal.mediaType() != null && kind(e.media().format()).equals(kind(mal.mediaType()))) score += 2;
    Integer total = e.media().progressTotal();
    if (total != null && total > 0 && Objects.equals(total, mal.progressTotal())) score += 1;
    return score;
  }

  /** AniList formats and MAL media types in one vocabulary. */
  private static String kind(String word) {
    if (word == null) return "";
    String w = word.toLowerCase(Locale.ROOT);
    return switch (w) {
      case "tv", "tv_short" -> "tv";
      case "special", "tv_special" -> "special";
      case "manga", "manhwa", "manhua", "doujinshi", "oel" -> "manga";
      case "novel", "light_novel" -> "novel";
      default -> w;
    };
  }
}
