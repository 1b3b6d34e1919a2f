package io.github.anilistmalsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.model.MediaType;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunResultTest {
  private static final TypeCounts ANIME = new TypeCounts(7, 8, 0, 58, 0, 0, 0, 0);

  @Test
  void countsKeepTheShapePagesStoreAndWebhooksRead() {
    JsonObject json = new TypeCounts(1, 2, 3, 4, 5, 6, 7, 8).toJson();
    assertThat(json.fieldNames()).containsExactly("created", "updated", "deleted", "unchanged", "heldApart", "unmapped",
        "conflicts", "errors");
    assertThat(TypeCounts.fromJson(json)).isEqualTo(new TypeCounts(1, 2, 3, 4, 5, 6, 7, 8));
    assertThat(TypeCounts.fromJson(new JsonObject().put("created", 2))).isEqualTo(new TypeCounts(2, 0, 0, 0, 0, 0, 0, 0));
  }

  @Test
  void theLogLineNamesWhatChangedAndAlwaysWhatDidNot() {
    Map<MediaType, RunResult.TypeResult> types = new LinkedHashMap<>();
    types.put(MediaType.ANIME, RunResult.TypeResult.NONE.withCounts(ANIME));
    types.put(MediaType.MANGA, RunResult.TypeResult.NONE.withCounts(TypeCounts.NONE.withError()));
    RunResult result = new RunResult("r1", RunOutcome.FAILED, false, "manual", "two-way", Instant.EPOCH, Instant.EPOCH,
        types, List.of("manga: down"));
    assertThat(result.summary()).isEqualTo("failed; anime: 7 created, 8 updated, 58 unchanged; manga: 0 unchanged, 1 errors");
  }

  @Test
  void aPreviewIsADryRunOrAStaleApply() {
    assertThat(RunResult.isPreview(new JsonObject().put("dryRun", true).put("result", "ok"))).isTrue();
    assertThat(RunResult.isPreview(new JsonObject().put("dryRun", false).put("result", "planChanged"))).isTrue();
    assertThat(RunResult.isPreview(new JsonObject().put("dryRun", false).put("result", "ok"))).isFalse();
  }
}
