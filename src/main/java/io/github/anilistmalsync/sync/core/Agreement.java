package io.github.anilistmalsync.sync.core;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether two lists agree: for every entry on both sides, every synced unit holds the same value after conversion.
 * What the end-to-end tests, the demo test and the benchmark check after a sync.
 */
public final class Agreement {
  private Agreement() {}

  /** One line per unit that differs between a paired AniList and MAL entry; empty when the lists agree. */
  public static List<String> disagreements(List<AniListEntry> aniList, List<MalEntry> mal) {
    Map<MalId, MalEntry> malById = new HashMap<>();
    mal.forEach(e -> malById.put(e.id(), e));
    List<String> out = new ArrayList<>();
    for (AniListEntry a : aniList) {
      if (a.media().idMal() == null) continue;
      MalEntry m = malById.get(a.media().idMal());
      if (m == null) continue;
      NeutralState as = Convert.fromAniList(a);
      NeutralState ms = Convert.fromMal(m);
      Convert.Caps caps = Convert.Caps.of(m);
      for (Unit unit : Unit.values()) {
        if (!Convert.same(unit, as, ms, caps)) {
          out.add(a.type() + " " + a.media().displayTitle() + " " + unit.configName() + ": AniList " + as + " vs MAL " + ms);
        }
      }
    }
    return out;
  }
}
