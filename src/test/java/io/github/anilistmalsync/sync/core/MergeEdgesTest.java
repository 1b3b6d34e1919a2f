package io.github.anilistmalsync.sync.core;

import static io.github.anilistmalsync.sync.Entries.ani;
import static io.github.anilistmalsync.sync.Entries.mal;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.AniListMedia;
import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MalStatus;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.model.ScoreFormat;
import io.github.anilistmalsync.sync.Entries;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The merge at its edges: one named test per rule of the README's "How it syncs" that a simple merge gets wrong. */
class MergeEdgesTest {
  private TwoServices services;

  @BeforeEach
  void setUp() {
    services = new TwoServices();
  }

  private void syncedPair(int n, AniListStatus status, int progress, int score10) {
    services.putAniList(ani(n, status, progress, score10 * 10, 100));
    services.putMal(mal(n, Convert.toMalStatus(status), status == AniListStatus.REPEATING, progress, score10, 100));
    services.sync();
  }

  private long later(int seconds) {
    return services.clock + seconds;
  }

  // ---- rule 1: every field its own ------------------------------------------------------------------------

  @Test
  void aPauseOnAniListAndAnEpisodeOnMalBothSurvive() {
    syncedPair(1, AniListStatus.CURRENT, 3, 7);
    services.putAniList(ani(1, AniListStatus.PAUSED, 3, 70, later(10)));
    services.putMal(mal(1, MalStatus.IN_PROGRESS, false, 4, 7, later(20)));
    Plan plan = services.sync();
    assertThat(plan.conflicts()).isEmpty();
    assertThat(services.aniList.get(new MalId(1))).satisfies(e -> {
      assertThat(e.status()).isEqualTo(AniListStatus.PAUSED);
      assertThat(e.progress()).isEqualTo(4);
    });
    assertThat(services.mal.get(new MalId(1))).satisfies(e -> {
      assertThat(e.status()).isEqualTo(MalStatus.ON_HOLD);
      assertThat(e.progress()).isEqualTo(4);
    });
    assertThat(services.plan().operations()).isEmpty();
  }

  @Test
  void completedOnOneSiteWithAnEpisodeRecordedOnTheOtherCompletesTheProgressAndSaysSo() {
    syncedPair(1, AniListStatus.CURRENT, 5, 7);
    services.putAniList(ani(1, AniListStatus.COMPLETED, 5, 70, later(10)));
    services.putMal(mal(1, MalStatus.IN_PROGRESS, false, 6, 7, later(20)));
    Plan plan = services.sync();
    assertThat(plan.conflicts()).singleElement().satisfies(c -> {
      assertThat(c.unit()).isEqualTo("progress");
      assertThat(c.reason()).contains("completed wins").contains("24");
    });
    assertThat(services.aniList.get(new MalId(1)).progress()).isEqualTo(24);
    assertThat(services.mal.get(new MalId(1)).progress()).isEqualTo(24);
    assertThat(services.mal.get(new MalId(1)).status()).isEqualTo(MalStatus.COMPLETED);
    assertThat(services.plan().operations()).isEmpty();
  }

  // ---- rule 2: private stays private ----------------------------------------------------------------------

  @Test
  void notesOfAPrivateAniListEntryNeverReachMalButItsProgressDoes() {
    services.putAniList(Entries.privately(ani(1, AniListStatus.CURRENT, 3, 70, 100)));
    services.putMal(mal(1, MalStatus.IN_PROGRESS, false, 3, 7, 100));
    services.sync();
    services.putAniList(Entries.withNotes(Entries.privately(ani(1, AniListStatus.CURRENT, 5, 70, later(10))), "my secret thoughts"));
    Plan plan = services.sync();
    assertThat(plan.operations()).singleElement().satisfies(op -> {
      assertThat(op.target()).isEqualTo(Side.MAL);
      assertThat(TwoServices.sent(op).fieldNames()).containsExactly("num_watched_episodes");
    });
    assertThat(services.mal.get(new MalId(1)).comments()).isEmpty();
    assertThat(services.mal.get(new MalId(1)).progress()).isEqualTo(5);
    Plan next = services.plan();
    assertThat(next.operations()).isEmpty();
    assertThat(next.heldApart()).singleElement().satisfies(h -> assertThat(h.reason()).contains("private on AniList"));
    assertThat(next.unchangedCount()).isZero();
  }

  @Test
  void notesWrittenOnMalStillReachAPrivateAniListEntry() {
    services.putAniList(Entries.privately(ani(1, AniListStatus.CURRENT, 3, 70, 100)));
    services.putMal(mal(1, MalStatus.IN_PROGRESS, false, 3, 7, 100));
    services.sync();
    services.putMal(Entries.withComments(mal(1, MalStatus.IN_PROGRESS, false, 3, 7, later(10)), "from MAL"));
    services.sync();
    assertThat(services.aniList.get(new MalId(1)).notes()).isEqualTo("from MAL");
  }

  // ---- rule 3: no score edit swallowed by a coarse format -------------------------------------------------

  @ParameterizedTest
  @CsvSource({"POINT_5, 8, 7", "POINT_3, 6, 5", "POINT_3, 8, 7", "POINT_10, 9, 8"})
  void aMalScoreEditReachesAniListWhateverItsFormat(ScoreFormat format, int before, int after) {
    services.options = services.options.withScoreFormat(format);
    services.putAniList(ani(1, AniListStatus.COMPLETED, 24, format.entered(before * 10), 100));
    services.putMal(mal(1, MalStatus.COMPLETED, false, 24, before, 100));
    services.sync();
    services.putMal(mal(1, MalStatus.COMPLETED, false, 24, after, later(10)));
    services.sync();
    assertThat(Convert.toMalScore(services.aniList.get(new MalId(1)).score100())).isEqualTo(after);
    assertThat(services.plan().operations()).isEmpty();
    assertThat(services.plan().heldApart()).isEmpty();
  }

  @Test
  void aPairThatStillDiffersIsHeldApartAndNeverCountedAsAgreed() {
    syncedPair(1, AniListStatus.COMPLETED, 24, 7);
    Baseline agreed = services.baselines.get(new MalId(1));
    // the services now hold different scores that match their own baselines: nobody edited them since
    services.putAniList(ani(1, AniListStatus.COMPLETED, 24, 70, 100));
    services.putMal(mal(1, MalStatus.COMPLETED, false, 24, 8, 100));
    services.baselines.put(new MalId(1), new Baseline(agreed.key(), Convert.fromAniList(services.aniList.get(new MalId(1))),
        Convert.fromMal(services.mal.get(new MalId(1))), agreed.syncedAt()));
    for (int round = 0; round < 2; round++) {
      Plan plan = services.sync();
      assertThat(plan.operations()).isEmpty();
      assertThat(plan.unchangedCount()).isZero();
      assertThat(plan.heldApart()).singleElement().satisfies(h ->
          assertThat(h.differences()).singleElement().asString().contains("score").contains("70").contains("80"));
    }
  }

  // ---- rule 4: capping only where the capping service knows the total ------------------------------------

  @Test
  void progressPastAniListsCountReachesAniListWhenMalKnowsNoCount() {
    services.putAniList(ani(1, AniListStatus.CURRENT, 24, 0, 100));
    services.putMal(Entries.withTotal(mal(1, MalStatus.IN_PROGRESS, false, 24, 0, 100), 0));
    services.sync();
    services.putMal(Entries.withTotal(mal(1, MalStatus.IN_PROGRESS, false, 30, 0, later(10)), 0));
    Plan plan = services.sync();
    assertThat(plan.operations()).singleElement().satisfies(op -> assertThat(op.changes().get(Unit.PROGRESS)).isEqualTo(new Change.Progress(24, 30)));
    assertThat(services.aniList.get(new MalId(1)).progress()).isEqualTo(30);
  }

  @Test
  void progressCappedByMalAtItsOwnCountIsStillNotWrittenBack() {
    services.putAniList(ani(1, AniListStatus.COMPLETED, 30, 0, 100));
    services.putMal(mal(1, MalStatus.COMPLETED, false, 24, 0, 100));
    assertThat(services.plan().operations()).isEmpty();
  }

  // ---- rule 5: two AniList media sharing one MAL id --------------------------------------------------------

  private static AniListEntry special(long updatedAt, int score100) {
    AniListMedia recap = new AniListMedia(new AniListMediaId(9001), new MalId(1), MediaType.ANIME, "SPECIAL", 1, null, null, false,
        "Show 1 Recap", null, null);
    return Entries.withMedia(ani(1, AniListStatus.COMPLETED, 1, score100, updatedAt), recap);
  }

  private static AniListEntry withEntryId(AniListEntry e, long id) {
    return new AniListEntry(id, e.media(), e.status(), e.score100(), e.scoreInUserFormat(), e.progress(), e.progressVolumes(),
        e.repeat(), e.isPrivate(), e.hiddenFromStatusLists(), e.notes(), e.customLists(), e.startedAt(), e.completedAt(), e.updatedAt(), e.createdAt());
  }

  private static Plan planWith(List<AniListEntry> aniList, MalEntry mal, List<Baseline> baselines, Map<MalId, AniListMediaId> pins) {
    return SyncPlanner.plan(new PlanInput(MediaType.ANIME, baselines, List.of(), aniList, List.of(mal), Map.of(), pins, Set.of(),
        SyncOptions.defaults(), Instant.ofEpochSecond(10_000)));
  }

  @Test
  void aRecapSpecialSharingTheSeriesMalIdNeverWritesToTheSeriesOnMal() {
    AniListEntry series = ani(1, AniListStatus.CURRENT, 12, 80, 100);
    AniListEntry recap = withEntryId(special(5000, 30), 7777);
    MalEntry onMal = mal(1, MalStatus.IN_PROGRESS, false, 12, 8, 100);
    for (List<AniListEntry> order : List.of(List.of(recap, series), List.of(series, recap))) {
      Plan plan = planWith(order, onMal, List.of(), Map.of());
      assertThat(plan.operations()).as("rating the recap writes nothing to MAL").isEmpty();
      assertThat(plan.unmapped()).singleElement().satisfies(u -> {
        assertThat(u.id()).isEqualTo(9001);
        assertThat(u.reason()).contains("shares MAL id 1 with Show 1");
      });
    }
  }

  @Test
  void aPairAlreadyInTheBaselineKeepsItsPartnerAndAPinDecidesOtherwise() {
    AniListEntry series = ani(1, AniListStatus.CURRENT, 12, 80, 100);
    AniListEntry recap = withEntryId(special(5000, 30), 7777);
    MalEntry onMal = mal(1, MalStatus.IN_PROGRESS, false, 1, 3, 100);
    Baseline withRecap = new Baseline(new PairKey(MediaType.ANIME, new MalId(1), new AniListMediaId(9001)),
        Convert.fromAniList(recap), Convert.fromMal(onMal), Instant.ofEpochSecond(50));
    assertThat(planWith(List.of(series, recap), onMal, List.of(withRecap), Map.of()).unmapped())
        .singleElement().satisfies(u -> assertThat(u.id()).isEqualTo(1001));
    assertThat(planWith(List.of(series, recap), onMal, List.of(withRecap), Map.of(new MalId(1), new AniListMediaId(1001))).unmapped())
        .singleElement().satisfies(u -> assertThat(u.id()).isEqualTo(9001));
  }

  // ---- rule 6: never claim two different entries agree -----------------------------------------------------

  @Test
  void aPairUndoneOnOneSideIsHeldApartWithWhyUntilTheUserSettlesIt() {
    syncedPair(1, AniListStatus.CURRENT, 3, 7);
    Baseline b = services.baselines.get(new MalId(1));
    services.putMal(mal(1, MalStatus.IN_PROGRESS, false, 5, 7, later(10)));
    // as an undo leaves it: MAL keeps the user's edit, AniList is back to 3, and the baseline says why
    services.baselines.put(new MalId(1), new Baseline(b.key(), b.anilist(), Convert.fromMal(services.mal.get(new MalId(1))),
        b.syncedAt(), "undone by run r2 on 2026-12-01"));
    Plan plan = services.plan();
    assertThat(plan.operations()).isEmpty();
    assertThat(plan.heldApart()).singleElement().satisfies(h -> {
      assertThat(h.reason()).contains("undone by run r2");
      assertThat(h.differences()).singleElement().asString().isEqualTo("progress: AniList 3, MyAnimeList 5");
    });
    services.settle.put(new MalId(1), Side.MAL);
    services.sync();
    assertThat(services.aniList.get(new MalId(1)).progress()).isEqualTo(5);
    services.settle.clear();
    assertThat(services.plan().heldApart()).isEmpty();
    assertThat(services.plan().operations()).isEmpty();
  }

  // ---- rule 7: one-way modes and a deleted target entry ----------------------------------------------------

  @Test
  void inAOneWayModeAnEntryDeletedOnTheTargetStaysDeletedEvenWhenEditedOnTheSource() {
    services.options = services.options.withMode(SyncOptions.Mode.ANILIST_TO_MAL)
        .withDeletions(SyncOptions.DeletionPolicy.PROPAGATE);
    syncedPair(1, AniListStatus.CURRENT, 3, 7);
    services.mal.remove(new MalId(1));
    Plan plan = services.sync();
    assertThat(plan.operations()).isEmpty();
    assertThat(plan.tombstonesToAdd()).singleElement().satisfies(t -> assertThat(t.deletedOn()).isEqualTo(Side.MAL));
    services.putAniList(ani(1, AniListStatus.CURRENT, 4, 70, later(10)));
    Plan after = services.sync();
    assertThat(after.operations()).isEmpty();
    assertThat(after.skipped()).singleElement().asString().contains("not re-created");
    assertThat(services.aniList).containsKey(new MalId(1));
  }

  // ---- what the services refused, and lists that came back partial -----------------------------------------

  @Test
  void aRefusedNoteIsNotSentAgainUntilItChangesWhileTheOtherFieldsGoOn() {
    syncedPair(1, AniListStatus.CURRENT, 3, 7);
    String longNote = "x".repeat(6500);
    services.putMal(Entries.withComments(mal(1, MalStatus.IN_PROGRESS, false, 4, 7, later(10)), longNote));
    Baseline b = services.baselines.get(new MalId(1));
    services.refusals.add(new Refusal(b.key(), Side.ANILIST, Unit.NOTES, longNote,
        "The notes may not be greater than 6000 characters.", Instant.ofEpochSecond(services.clock)));
    Plan plan = services.sync();
    assertThat(plan.operations()).singleElement().satisfies(op -> assertThat(TwoServices.sent(op).fieldNames()).containsExactly("progress"));
    assertThat(plan.heldApart()).singleElement().satisfies(h -> assertThat(h.reason()).contains("AniList refused this notes").contains("6000"));
    services.putMal(Entries.withComments(mal(1, MalStatus.IN_PROGRESS, false, 4, 7, later(20)), "short now"));
    assertThat(services.plan().operations()).singleElement().satisfies(op -> assertThat(TwoServices.sent(op).getString("notes")).isEqualTo("short now"));
  }

  @Test
  void anEntryMalDoesNotTakeYetIsLeftAloneForADayThenTriedAgain() {
    services.putAniList(ani(1, AniListStatus.CURRENT, 3, 70, 100));
    services.refusals.add(new Refusal(new PairKey(MediaType.ANIME, new MalId(1), new AniListMediaId(1001)), Side.MAL, null, null,
        "MyAnimeList answered invalid_content", Instant.ofEpochSecond(services.clock)));
    Plan plan = services.plan();
    assertThat(plan.operations()).isEmpty();
    assertThat(plan.skipped()).singleElement().asString().contains("does not take this entry yet");
    services.clock += 86_401;
    assertThat(services.plan().operations()).singleElement().satisfies(op -> assertThat(op.kind()).isEqualTo(Operation.Kind.CREATE));
  }

  @Test
  void anEntryMissingFromAListThatLeftEntriesOutIsNotTakenForDeleted() {
    services.options = services.options.withDeletions(SyncOptions.DeletionPolicy.PROPAGATE);
    syncedPair(1, AniListStatus.CURRENT, 3, 7);
    services.aniList.remove(new MalId(1));
    services.partial.add(Side.ANILIST);
    Plan plan = services.plan();
    assertThat(plan.operations()).isEmpty();
    assertThat(plan.tombstonesToAdd()).isEmpty();
    assertThat(plan.baselinesToDrop()).isEmpty();
  }
}
