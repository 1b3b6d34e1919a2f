package io.github.anilistmalsync.sync.core;

import static io.github.anilistmalsync.sync.Entries.ani;
import static io.github.anilistmalsync.sync.Entries.mal;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.model.AniListMedia;
import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.FuzzyDate;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MalStatus;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.model.ScoreFormat;
import io.github.anilistmalsync.sync.Entries;
import java.util.EnumSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SyncPlannerTest {
  private TwoServices services;

  @BeforeEach
  void setUp() {
    services = new TwoServices();
  }

  private void inSync(int n, AniListStatus status, int progress, int score10) {
    services.putAniList(ani(n, status, progress, score10 * 10, 100));
    MalStatus malStatus = Convert.toMalStatus(status);
    services.putMal(mal(n, malStatus, status == AniListStatus.REPEATING, progress, score10, 100));
  }

  @Test
  void aSecondSyncRightAfterTheFirstWritesNothing() {
    inSync(1, AniListStatus.CURRENT, 3, 7);
    services.putAniList(ani(2, AniListStatus.COMPLETED, 24, 85, 200));
    services.putMal(mal(3, MalStatus.DROPPED, false, 2, 4, 300));
    assertThat(services.sync().operations()).hasSize(2);
    Plan second = services.plan();
    assertThat(second.operations()).isEmpty();
    assertThat(second.conflicts()).isEmpty();
  }

  @Test
  void aListReadInPartKeepsTheBaselinesOfPairsOnNeitherList() {
    inSync(1, AniListStatus.CURRENT, 3, 7);
    inSync(2, AniListStatus.CURRENT, 5, 6);
    services.sync();
    // a live poll: only pair 1 changed, pair 2 is on neither of its lists
    services.aniList.remove(new io.github.anilistmalsync.model.MalId(2));
    services.mal.remove(new io.github.anilistmalsync.model.MalId(2));
    services.partial.addAll(java.util.EnumSet.allOf(Side.class));
    Plan plan = services.plan();
    assertThat(plan.baselinesToDrop()).isEmpty();
    assertThat(plan.operations()).isEmpty();
  }

  @Test
  void valuesEqualAfterConversionAreNotAChange() {
    services.putAniList(ani(1, AniListStatus.COMPLETED, 24, 85, 100));
    services.putMal(mal(1, MalStatus.COMPLETED, false, 24, 9, 500));
    Plan plan = services.plan();
    assertThat(plan.operations()).isEmpty();
    assertThat(plan.baselinesToRecord()).hasSize(1);
  }

  @Test
  void anEditOnOneSideArrivesOnTheOtherWithOnlyThatField() {
    inSync(1, AniListStatus.CURRENT, 3, 7);
    services.sync();
    services.putMal(mal(1, MalStatus.IN_PROGRESS, false, 5, 7, services.clock + 10));
    Plan plan = services.plan();
    assertThat(plan.operations()).singleElement().satisfies(op -> {
      assertThat(op.target()).isEqualTo(Side.ANILIST);
      assertThat(op.kind()).isEqualTo(Operation.Kind.UPDATE);
      assertThat(TwoServices.sent(op).fieldNames()).containsExactly("progress");
      assertThat(op.changes().get(Unit.PROGRESS)).isEqualTo(new Change.Progress(3, 5));
      assertThat(op.anilistEntryId()).isEqualTo(5001L);
    });
  }

  @Test
  void withoutABaselineTheLaterUpdatedSideWinsEachUnit() {
    services.putAniList(ani(1, AniListStatus.CURRENT, 3, 70, 100));
    services.putMal(mal(1, MalStatus.IN_PROGRESS, false, 6, 8, 200));
    Operation op = services.plan().operations().get(0);
    assertThat(op.target()).isEqualTo(Side.ANILIST);
    assertThat(TwoServices.sent(op).getInteger("progress")).isEqualTo(6);
    assertThat(TwoServices.sent(op).getInteger("scoreRaw")).isEqualTo(80);
  }

  @Test
  void withoutABaselineAnEmptyValueNeverOverwritesAFilledOne() {
    services.putAniList(Entries.withDates(Entries.withNotes(ani(1, AniListStatus.CURRENT, 3, 70, 100), "loved it"),
        FuzzyDate.of(2020, 4, null), FuzzyDate.EMPTY));
    services.putMal(mal(1, MalStatus.IN_PROGRESS, false, 3, 0, 200));
    Plan plan = services.plan();
    assertThat(plan.operations()).singleElement().satisfies(op -> {
      assertThat(op.target()).isEqualTo(Side.MAL);
      assertThat(TwoServices.sent(op).getInteger("score")).isEqualTo(7);
      assertThat(TwoServices.sent(op).getString("comments")).isEqualTo("loved it");
      assertThat(TwoServices.sent(op).getString("start_date")).isEqualTo("2020-04");
    });
  }

  @Test
  void bothSidesChangedTheLaterEditWinsAndTheConflictIsRecorded() {
    inSync(1, AniListStatus.CURRENT, 3, 7);
    services.sync();
    services.putAniList(ani(1, AniListStatus.CURRENT, 3, 60, services.clock + 5));
    services.putMal(mal(1, MalStatus.IN_PROGRESS, false, 3, 9, services.clock + 50));
    Plan plan = services.plan();
    assertThat(plan.conflicts()).singleElement().satisfies(c -> {
      assertThat(c.unit()).isEqualTo("score");
      assertThat(c.winner()).isEqualTo(Side.MAL);
      assertThat(c.anilistValue()).isEqualTo("60");
      assertThat(c.malValue()).isEqualTo("90");
    });
    assertThat(plan.operations()).singleElement().satisfies(op -> assertThat(TwoServices.sent(op).getInteger("scoreRaw")).isEqualTo(90));
  }

  @Test
  void onAnExactTieAniListWins() {
    inSync(1, AniListStatus.CURRENT, 3, 7);
    services.sync();
    long t = services.clock + 30;
    services.putAniList(ani(1, AniListStatus.CURRENT, 3, 60, t));
    services.putMal(mal(1, MalStatus.IN_PROGRESS, false, 3, 9, t));
    Plan plan = services.plan();
    assertThat(plan.conflicts()).singleElement().satisfies(c -> assertThat(c.winner()).isEqualTo(Side.ANILIST));
    assertThat(plan.operations()).singleElement().satisfies(op -> {
      assertThat(op.target()).isEqualTo(Side.MAL);
      assertThat(TwoServices.sent(op).getInteger("score")).isEqualTo(6);
    });
  }

  @Test
  void aValueMalCappedAtTheTotalIsNotWrittenBack() {
    services.putAniList(ani(1, AniListStatus.CURRENT, 30, 0, 200));
    services.putMal(mal(1, MalStatus.IN_PROGRESS, false, 24, 0, 100));
    assertThat(services.sync().operations()).isEmpty();
    assertThat(services.plan().operations()).isEmpty();
  }

  @Test
  void aCappedWriteSettlesAfterOneSync() {
    services.putAniList(ani(1, AniListStatus.CURRENT, 10, 0, 200));
    services.putMal(mal(1, MalStatus.IN_PROGRESS, false, 2, 0, 100));
    services.sync();
    services.putAniList(ani(1, AniListStatus.CURRENT, 40, 0, services.clock + 5));
    assertThat(services.sync().operations()).hasSize(1);
    assertThat(services.mal.get(new MalId(1)).progress()).isEqualTo(24);
    assertThat(services.plan().operations()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ScoreFormat.class)
  void aMalScoreWrittenToAnyAniListFormatIsNotWrittenBack(ScoreFormat format) {
    services.options = services.options.withScoreFormat(format);
    for (int score = 1; score <= 10; score++) {
      services.putAniList(ani(score, AniListStatus.COMPLETED, 24, 0, 100));
      services.putMal(mal(score, MalStatus.COMPLETED, false, 24, score, 200));
    }
    assertThat(services.sync().operations()).hasSize(10);
    assertThat(services.plan().operations()).isEmpty();
    for (int score = 1; score <= 10; score++) {
      assertThat(services.mal.get(new MalId(score)).score()).isEqualTo(score);
    }
  }

  @Test
  void rewatchingArrivesOnMalAsCompletedWithTheFlagAndItsProgress() {
    inSync(1, AniListStatus.COMPLETED, 24, 8);
    services.sync();
    services.putAniList(ani(1, AniListStatus.REPEATING, 2, 80, services.clock + 5));
    Operation op = services.plan().operations().get(0);
    assertThat(TwoServices.sent(op).getString("status")).isEqualTo("completed");  // the status travels with the rewatch flag
    assertThat(TwoServices.sent(op).getBoolean("is_rewatching")).isTrue();
    assertThat(TwoServices.sent(op).getInteger("num_watched_episodes")).isEqualTo(2);
    services.apply(services.plan());
    assertThat(services.mal.get(new MalId(1)).repeating()).isTrue();
    assertThat(services.plan().operations()).isEmpty();
  }

  @Test
  void oneWayModeRevertsAnEditMadeOnTheTarget() {
    services.options = services.options.withMode(SyncOptions.Mode.ANILIST_TO_MAL);
    inSync(1, AniListStatus.CURRENT, 3, 7);
    services.sync();
    services.putMal(mal(1, MalStatus.IN_PROGRESS, false, 9, 2, services.clock + 100));
    Plan plan = services.plan();
    assertThat(plan.operations()).singleElement().satisfies(op -> {
      assertThat(op.target()).isEqualTo(Side.MAL);
      assertThat(TwoServices.sent(op).getInteger("num_watched_episodes")).isEqualTo(3);
      assertThat(TwoServices.sent(op).getInteger("score")).isEqualTo(7);
    });
  }

  @Test
  void oneWayModeLeavesEntriesOnlyOnTheTargetAlone() {
    services.options = services.options.withMode(SyncOptions.Mode.ANILIST_TO_MAL);
    services.putMal(mal(1, MalStatus.IN_PROGRESS, false, 9, 2, 100));
    services.putAniList(ani(2, AniListStatus.PLANNING, 0, 0, 100));
    Plan plan = services.plan();
    assertThat(plan.operations()).singleElement().satisfies(op -> {
      assertThat(op.kind()).isEqualTo(Operation.Kind.CREATE);
      assertThat(op.target()).isEqualTo(Side.MAL);
      assertThat(op.key().malId()).isEqualTo(new MalId(2));
    });
  }

  @Test
  void anEntryOnOneSideOnlyIsCreatedOnTheOther() {
    services.putMal(mal(7, MalStatus.COMPLETED, false, 24, 8, 100));
    Plan plan = services.plan();
    assertThat(plan.operations()).singleElement().satisfies(op -> {
      assertThat(op.kind()).isEqualTo(Operation.Kind.CREATE);
      assertThat(op.target()).isEqualTo(Side.ANILIST);
      assertThat(op.key().aniListId().value()).isEqualTo(1007);
      assertThat(TwoServices.sent(op).getString("status")).isEqualTo("COMPLETED");
      assertThat(TwoServices.sent(op).getInteger("scoreRaw")).isEqualTo(80);
    });
  }

  @Test
  void aMalEntryThatNoAniListMediaMatchesIsUnmappedNotGuessed() {
    services.mal.put(new MalId(42), mal(42, MalStatus.COMPLETED, false, 24, 8, 100));
    Plan plan = services.plan();
    assertThat(plan.operations()).isEmpty();
    assertThat(plan.unmapped()).singleElement().satisfies(u -> {
      assertThat(u.side()).isEqualTo(Side.MAL);
      assertThat(u.id()).isEqualTo(42);
    });
  }

  @Test
  void privateAniListEntriesAreNotCreatedOnMalUnlessAllowed() {
    services.putAniList(Entries.privately(ani(1, AniListStatus.CURRENT, 3, 70, 100)));
    Plan plan = services.plan();
    assertThat(plan.operations()).isEmpty();
    assertThat(plan.skipped()).anySatisfy(s -> assertThat(s).contains("private"));
    services.options = services.options.withIncludePrivate(true);
    assertThat(services.plan().operations()).hasSize(1);
  }

  @Test
  void neverLowerProgressRefusesAWriteThatLowersProgress() {
    services.options = services.options.withNeverLowerProgress(true);
    inSync(1, AniListStatus.CURRENT, 10, 7);
    services.sync();
    services.putMal(mal(1, MalStatus.IN_PROGRESS, false, 4, 8, services.clock + 10));
    Plan plan = services.plan();
    assertThat(plan.operations()).singleElement().satisfies(op -> {
      assertThat(TwoServices.sent(op).containsKey("progress")).isFalse();
      assertThat(TwoServices.sent(op).getInteger("scoreRaw")).isEqualTo(80);
    });
    assertThat(plan.skipped()).anySatisfy(s -> assertThat(s).contains("not lowering progress"));
  }

  @Test
  void aDisabledUnitIsNeverWritten() {
    services.options = services.options.withUnits(EnumSet.complementOf(EnumSet.of(Unit.SCORE)));
    inSync(1, AniListStatus.CURRENT, 3, 7);
    services.sync();
    services.putMal(mal(1, MalStatus.IN_PROGRESS, false, 3, 2, services.clock + 10));
    assertThat(services.plan().operations()).isEmpty();
  }

  @Test
  void keepPolicyLeavesATombstoneAndDoesNotRecreateTheEntry() {
    inSync(1, AniListStatus.CURRENT, 3, 7);
    services.sync();
    services.mal.remove(new MalId(1));
    Plan plan = services.sync();
    assertThat(plan.operations()).isEmpty();
    assertThat(plan.tombstonesToAdd()).singleElement().satisfies(t -> assertThat(t.deletedOn()).isEqualTo(Side.MAL));
    services.putAniList(ani(1, AniListStatus.CURRENT, 9, 70, services.clock + 10));
    assertThat(services.plan().operations()).isEmpty();
    assertThat(services.aniList).containsKey(new MalId(1));
  }

  @Test
  void addingTheEntryAgainClearsTheTombstoneAndSyncsNormally() {
    inSync(1, AniListStatus.CURRENT, 3, 7);
    services.sync();
    services.mal.remove(new MalId(1));
    services.sync();
    services.putMal(mal(1, MalStatus.IN_PROGRESS, false, 5, 7, services.clock + 10));
    Plan plan = services.sync();
    assertThat(plan.tombstonesToClear()).hasSize(1);
    assertThat(services.tombstones).isEmpty();
    assertThat(services.aniList.get(new MalId(1)).progress()).isEqualTo(5);
  }

  @Test
  void propagatePolicyDeletesOnTheOtherSide() {
    services.options = services.options.withDeletions(SyncOptions.DeletionPolicy.PROPAGATE);
    inSync(1, AniListStatus.CURRENT, 3, 7);
    services.sync();
    services.aniList.remove(new MalId(1));
    Plan plan = services.plan();
    assertThat(plan.operations()).singleElement().satisfies(op -> {
      assertThat(op.kind()).isEqualTo(Operation.Kind.DELETE);
      assertThat(op.target()).isEqualTo(Side.MAL);
    });
    services.apply(plan);
    assertThat(services.mal).isEmpty();
    assertThat(services.plan().operations()).isEmpty();
  }

  @Test
  void anEditBeatsADeletion() {
    services.options = services.options.withDeletions(SyncOptions.DeletionPolicy.PROPAGATE);
    inSync(1, AniListStatus.CURRENT, 3, 7);
    services.sync();
    services.aniList.remove(new MalId(1));
    services.putMal(mal(1, MalStatus.IN_PROGRESS, false, 6, 7, services.clock + 10));
    Plan plan = services.plan();
    assertThat(plan.operations()).noneMatch(op -> op.kind() == Operation.Kind.DELETE);
    assertThat(plan.conflicts()).singleElement().satisfies(c -> assertThat(c.reason()).contains("the edit wins"));
  }

  @Test
  void withoutABaselineNothingIsEverDeleted() {
    services.options = services.options.withDeletions(SyncOptions.DeletionPolicy.PROPAGATE);
    services.putAniList(ani(1, AniListStatus.CURRENT, 3, 70, 100));
    assertThat(services.plan().operations()).noneMatch(op -> op.kind() == Operation.Kind.DELETE);
  }

  @Test
  void aChangedMalIdReKeysThePairInsteadOfDeletingAndCreating() {
    services.options = services.options.withDeletions(SyncOptions.DeletionPolicy.PROPAGATE);
    inSync(1, AniListStatus.CURRENT, 3, 7);
    services.sync();
    // AniList corrects the media's MAL id from 1 to 77; MAL's entry for 77 is the same show.
    var old = services.aniList.remove(new MalId(1));
    var media = old.media();
    AniListMedia corrected = new AniListMedia(media.id(), new MalId(77), media.type(), media.format(), media.episodes(),
        media.chapters(), media.volumes(), media.isAdult(), media.titleRomaji(), media.titleEnglish(), media.titleNative());
    services.aniList.put(new MalId(77), Entries.withMedia(old, corrected));
    services.mal.remove(new MalId(1));
    services.mal.put(new MalId(77), new io.github.anilistmalsync.model.MalEntry(new MalId(77), MediaType.ANIME, "Show 1", "tv", 24, null,
        false, MalStatus.IN_PROGRESS, 7, 3, 0, false, 0, FuzzyDate.EMPTY, FuzzyDate.EMPTY, "", java.util.List.of(), 0,
        java.time.Instant.ofEpochSecond(100)));
    Plan plan = services.plan();
    assertThat(plan.operations()).isEmpty();
    assertThat(plan.baselinesToRecord()).singleElement().satisfies(b -> assertThat(b.key().malId()).isEqualTo(new MalId(77)));
    assertThat(plan.baselinesToDrop()).isEmpty();
  }

  @Test
  void theGuardRefusesAnEmptyListWhenEntriesWereSyncedBefore() {
    for (int i = 1; i <= 3; i++) inSync(i, AniListStatus.CURRENT, 3, 7);
    services.sync();
    services.mal.clear();
    PlanInput input = services.input();
    assertThat(Guard.violations(SyncPlanner.plan(input), input))
        .anySatisfy(v -> assertThat(v).contains("MyAnimeList returned an empty anime list"));
  }

  @Test
  void theGuardRefusesDeletingMoreThanTenPercentOrFive() {
    services.options = services.options.withDeletions(SyncOptions.DeletionPolicy.PROPAGATE);
    for (int i = 1; i <= 20; i++) inSync(i, AniListStatus.CURRENT, 3, 7);
    services.sync();
    for (int i = 1; i <= 6; i++) services.aniList.remove(new MalId(i));
    PlanInput input = services.input();
    assertThat(Guard.violations(SyncPlanner.plan(input), input)).anySatisfy(v -> assertThat(v).contains("would delete 6"));
    services.putAniList(ani(1, AniListStatus.CURRENT, 3, 70, 100));
    PlanInput fewer = services.input();
    assertThat(Guard.violations(SyncPlanner.plan(fewer), fewer)).isEmpty();
  }

  @Test
  void theGuardRefusesOverwritingMostSyncedPairsButNotAFirstSync() {
    for (int i = 1; i <= 10; i++) {
      services.putAniList(ani(i, AniListStatus.CURRENT, 3, 70, 100));
      services.putMal(mal(i, MalStatus.IN_PROGRESS, false, 4, 7, 200));
    }
    PlanInput first = services.input();
    assertThat(Guard.violations(SyncPlanner.plan(first), first)).isEmpty();
    services.sync();
    for (int i = 1; i <= 6; i++) services.putMal(mal(i, MalStatus.DROPPED, false, 4, 2, services.clock + 10));
    PlanInput input = services.input();
    assertThat(Guard.violations(SyncPlanner.plan(input), input)).anySatisfy(v -> assertThat(v).contains("overwrite 6 of the 10"));
  }
}
