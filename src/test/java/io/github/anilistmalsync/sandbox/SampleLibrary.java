package io.github.anilistmalsync.sandbox;

import io.github.anilistmalsync.model.MediaType;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** What the Library should list for sample lists after their first sync: each entry's row key and state. */
public final class SampleLibrary {
  private SampleLibrary() {}

  /**
   * For {@code perType} sample items of each type (as {@link SampleLists#generate} makes them): the row key
   * TYPE/malId/aniListId (0 for a side the entry has no id on) and the state the first sync leaves it in — unmapped
   * without a partner to find, only on one side for a private AniList-only entry (never created on MAL), else in sync.
   */
  public static Map<String, String> statesAfterFirstSync(int perType, SampleLists.Mix mix, long seed) {
    Map<String, String> expected = new HashMap<>();
    for (MediaType type : MediaType.values()) {
      for (SampleLists.Item item : SampleLists.generate(type, perType, mix, seed, Instant.now())) {
        String key = switch (item.kind()) {
          case MAL_UNMAPPABLE -> type + "/" + item.malId().value() + "/0";
          case ANILIST_UNMAPPABLE -> type + "/0/" + item.media().id().value();
          default -> type + "/" + item.malId().value() + "/" + item.media().id().value();
        };
        expected.put(key, switch (item.kind()) {
          case MAL_UNMAPPABLE, ANILIST_UNMAPPABLE -> "unmapped";
          case ANILIST_ONLY -> item.aniList().isPrivate() ? "one_side" : "in_sync";
          default -> "in_sync";
        });
      }
    }
    return expected;
  }
}
