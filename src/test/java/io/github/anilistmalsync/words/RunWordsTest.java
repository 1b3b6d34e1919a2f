package io.github.anilistmalsync.words;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** A run's result and counts as the pages and webhooks say them: sentences, never the wire's words. */
class RunWordsTest {

  @Test
  void runResultsAndCountsReadAsSentences() {
    assertThat(RunWords.result("planChanged")).isEqualTo("Not applied: the lists changed since the preview");
    assertThat(RunWords.resultClass("planChanged")).isEqualTo("status-warn");
    assertThat(RunWords.resultClass("failed")).isEqualTo("status-failed");
    assertThat(RunWords.resultClass("ok")).isEqualTo("status-ok");
    JsonObject c = new JsonObject().put("created", 2).put("updated", 1).put("deleted", 0).put("unchanged", 40).put("errors", 1);
    assertThat(RunWords.counts("ANIME", c, false)).isEqualTo("Anime: 2 created, 1 updated, 40 unchanged, 1 error");
    assertThat(RunWords.counts("MANGA", c.put("errors", 0).put("conflicts", 3), true))
        .isEqualTo("Manga: 2 to create, 1 to update, 40 unchanged, 3 conflicts");
  }

  @Test
  void aHistoryRowsCountsKeepEveryColumnAndNameTheRestOnlyWhenThereAreAny() {
    JsonObject c = new JsonObject().put("created", 2).put("updated", 5).put("unchanged", 40).put("unmapped", 1);
    assertThat(RunWords.counts(c, false)).isEqualTo("2 created, 5 updated, 0 deleted, 40 unchanged, 1 unmapped");
    assertThat(RunWords.counts(c, true)).startsWith("2 to create, 5 to update, 0 to delete");
  }

  @Test
  void noResultIsShownInTheWiresWord() {
    for (String word : new String[] {"ok", "failed", "needsSignIn", "refused", "planChanged", "interrupted", null}) {
      assertThat(RunWords.result(word)).doesNotContain("needsSignIn").doesNotContain("planChanged").isNotBlank();
      assertThat(RunWords.inASentence(word)).doesNotContain("needsSignIn").doesNotContain("planChanged");
    }
    assertThat(RunWords.result("ok", true)).isEqualTo("Previewed");
    assertThat(RunWords.inASentence("refused")).isEqualTo("stopped by the mass-change guard");
    assertThat(RunWords.count(1, "error")).isEqualTo("1 error");
    assertThat(RunWords.entries(1284)).isEqualTo("1,284 entries");
  }

  @Test
  void aRunWhoseAnimeFailedLeavesItsMangaSynced() {
    JsonObject run = new JsonObject().put("result", "failed")
        .put("types", new JsonObject().put("ANIME", new JsonObject().put("errors", 1)).put("MANGA", new JsonObject().put("updated", 2)))
        .put("errors", new JsonArray().add("anime: Garden River 69 on AniList: Not Found"));
    RunWords.TypeResult anime = RunWords.forType(run, "ANIME");
    RunWords.TypeResult manga = RunWords.forType(run, "MANGA");
    assertThat(anime.failed()).isTrue();
    assertThat(anime.words()).isEqualTo("Failed");
    assertThat(anime.reasons()).containsExactly("Garden River 69 on AniList: Not Found");
    assertThat(manga.failed()).isFalse();
    assertThat(manga.words()).isEqualTo("Synced");
    assertThat(manga.reasons()).isEmpty();
  }
}
