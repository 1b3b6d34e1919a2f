package io.github.anilistmalsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sync.CoreJson;
import io.github.anilistmalsync.sync.core.Change;
import io.github.anilistmalsync.sync.core.Operation;
import io.github.anilistmalsync.sync.core.PairKey;
import io.github.anilistmalsync.sync.core.Side;
import io.github.anilistmalsync.sync.core.Unit;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code run --once --dry-run} prints for each planned write: the same words as the dashboard's Preview. */
class RunSummaryTest {

  @Test
  void aDryRunListsEachPlannedWriteInWords() {
    Operation op = new Operation(new PairKey(MediaType.ANIME, new MalId(1), new AniListMediaId(101)), Side.ANILIST,
        Operation.Kind.UPDATE, "Frieren", 5L, Map.of(Unit.SCORE, new Change.Score(Side.ANILIST, 70, 80)), "score from MyAnimeList", null);
    JsonObject anime = new JsonObject().put("updated", 1).put("scoreFormat", "POINT_10_DECIMAL")
        .put("plan", new JsonObject().put("operations", new JsonArray().add(CoreJson.operation(op))));
    String text = RunSummary.render(new JsonObject().put("runId", "r1").put("result", "ok").put("dryRun", true).put("mode", "bidirectional")
        .put("types", new JsonObject().put("ANIME", anime)));
    assertThat(text).contains("anime Frieren: Will update on AniList — Score 7.0 → 8.0 (AniList, 10-point decimal). MyAnimeList changed since the last sync.")
        .doesNotContain("scoreRaw");
  }
}
