package io.github.anilistmalsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.FuzzyDate;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MalStatus;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.model.ScoreFormat;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Whole syncs against a fake MAL that answers the way the real one does (escaped comments, year-less dates, …). */
@ExtendWith(VertxExtension.class)
class MalRealBehaviourSyncTest {
  private static final String NOTE = "Don't & \"this\" <b>";
  private SyncHarness harness;

  @AfterEach
  void stop() {
    if (harness != null) harness.close();
  }

  private SyncHarness started(Vertx vertx, Path dir) {
    harness = new SyncHarness(vertx, dir, ScoreFormat.POINT_10).start(new JsonObject());
    return harness;
  }

  @Test
  void notesWithHtmlCharactersCrossBothWaysUnchangedAndTheNextSyncWritesNothing(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = started(vertx, dir);
    // show 1: the note is written on AniList; show 2: on MAL
    h.aniList.putEntry(Entries.withNotes(Entries.ani(1, AniListStatus.CURRENT, 3, 70, 1_700_000_000L), NOTE));
    h.mal.putEntry(Entries.mal(1, MalStatus.IN_PROGRESS, false, 3, 7, 1_700_000_000L));
    h.aniList.putEntry(Entries.ani(2, AniListStatus.CURRENT, 3, 70, 1_700_000_000L));
    h.mal.putEntry(Entries.mal(2, MalStatus.IN_PROGRESS, false, 3, 7, 1_700_000_000L).withComments(NOTE));

    assertThat(h.sync().getString("result")).isEqualTo("ok");
    assertThat(h.mal.entry(MediaType.ANIME, new MalId(1)).comments()).isEqualTo(NOTE);
    assertThat(h.aniList.entryByMalId(MediaType.ANIME, new MalId(2)).orElseThrow().notes()).isEqualTo(NOTE);

    h.aniList.clearLog();
    h.mal.clearLog();
    assertThat(h.sync().getString("result")).isEqualTo("ok");
    assertThat(h.writes()).isZero();
  }

  @Test
  void aMalDateWithoutAYearNeverErasesTheAniListDate(Vertx vertx, @TempDir Path dir) {
    SyncHarness h = started(vertx, dir);
    FuzzyDate started = FuzzyDate.of(2020, 5, 1);
    h.aniList.putEntry(Entries.withDates(Entries.ani(1, AniListStatus.CURRENT, 3, 70, 1_700_000_000L), started, FuzzyDate.EMPTY));
    h.mal.putEntry(Entries.mal(1, MalStatus.IN_PROGRESS, false, 3, 7, 1_700_000_000L));
    h.sync();
    assertThat(h.mal.entry(MediaType.ANIME, new MalId(1)).startDate()).isEqualTo(started);

    // on MAL's website the user re-enters the date as 1 May, no year: the API now answers start_date null
    h.mal.dateWithoutYear(MediaType.ANIME, new MalId(1), true);
    h.aniList.clearLog();
    h.mal.clearLog();
    assertThat(h.sync().getString("result")).isEqualTo("ok");
    assertThat(h.aniList.entryByMalId(MediaType.ANIME, new MalId(1)).orElseThrow().startedAt()).isEqualTo(started);
    assertThat(h.writes()).isZero();
  }

  @Test
  void aMalTokenOfSomeoneElseStopsTheRunWithBothNamesAndWritesNothing(Vertx vertx, @TempDir Path dir) {
    harness = new SyncHarness(vertx, dir, ScoreFormat.POINT_10);
    harness.mal.user(42, "SomeoneElse");
    SyncHarness h = harness.start(new JsonObject(), new JsonObject().put("myanimelist", new JsonObject().put("username", "Me")));
    h.aniList.putEntry(Entries.ani(1, AniListStatus.CURRENT, 3, 70, 1_700_000_000L));
    h.mal.putEntry(Entries.mal(2, MalStatus.IN_PROGRESS, false, 3, 7, 1_700_000_000L));
    JsonObject result = h.sync();
    assertThat(result.getString("result")).isNotEqualTo("ok");
    assertThat(result.encode()).contains("SomeoneElse", "myanimelist.username");
    assertThat(h.writes()).isZero();
    assertThat(h.mal.requests()).extracting(r -> r.kind()).doesNotContain("list");
  }
}
