package io.github.anilistmalsync.words;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.FuzzyDate;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MalStatus;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.model.ScoreFormat;
import io.github.anilistmalsync.sync.CoreJson;
import io.github.anilistmalsync.sync.core.Change;
import io.github.anilistmalsync.sync.core.ListStatus;
import io.github.anilistmalsync.sync.core.NeutralState;
import io.github.anilistmalsync.sync.core.Operation;
import io.github.anilistmalsync.sync.core.PairKey;
import io.github.anilistmalsync.sync.core.Side;
import io.github.anilistmalsync.sync.core.Unit;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every kind of change in the words a user reads on the run page, Preview and in webhooks. */
class ChangeWordsTest {
  static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
  static final PairKey ANIME = new PairKey(MediaType.ANIME, new MalId(1), new AniListMediaId(101));
  static final PairKey MANGA = new PairKey(MediaType.MANGA, new MalId(2), new AniListMediaId(202));
  static final ChangeWords WORDS = new ChangeWords(NOW, null);

  static String text(Change<?> change, MediaType type, Side target) {
    return WORDS.line(change, type, target, null).text();
  }

  static NeutralState scored(int score100) {
    return new NeutralState(AniListStatus.CURRENT, 0, score100, 0, 0, FuzzyDate.EMPTY, FuzzyDate.EMPTY, "");
  }

  @Test
  void aStatusReadsInTheTypesWordsAndRewatchingIsNamed() {
    Change<?> c = new Change.Status(ListStatus.onAniList(AniListStatus.COMPLETED), ListStatus.onAniList(AniListStatus.CURRENT));
    assertThat(text(c, MediaType.ANIME, Side.ANILIST)).isEqualTo("Status Completed → Watching");
    assertThat(text(c, MediaType.MANGA, Side.ANILIST)).isEqualTo("Status Completed → Reading");
    Change<?> rewatch = new Change.Status(ListStatus.onMal(MalStatus.COMPLETED, false), ListStatus.onMal(MalStatus.COMPLETED, true));
    assertThat(text(rewatch, MediaType.ANIME, Side.MAL)).isEqualTo("Status Completed → Rewatching");
    assertThat(text(new Change.Status(null, ListStatus.onAniList(AniListStatus.REPEATING)), MediaType.MANGA, Side.ANILIST))
        .isEqualTo("Status Rereading");
    assertThat(text(new Change.Status(ListStatus.onAniList(AniListStatus.PLANNING), ListStatus.onAniList(AniListStatus.PAUSED)),
        MediaType.ANIME, Side.ANILIST)).isEqualTo("Status Plan to watch → Paused");
  }

  @Test
  void progressCountsEpisodesForAnimeAndChaptersForManga() {
    assertThat(text(new Change.Progress(3, 5), MediaType.ANIME, Side.MAL)).isEqualTo("Progress 3 → 5 episodes");
    assertThat(text(new Change.Progress(0, 1), MediaType.MANGA, Side.ANILIST)).isEqualTo("Progress 0 → 1 chapter");
    assertThat(text(new Change.Progress(null, 12), MediaType.MANGA, Side.ANILIST)).as("a new entry has no before").isEqualTo("Progress 12 chapters");
    assertThat(text(new Change.Volumes(1, 2), MediaType.MANGA, Side.MAL)).isEqualTo("Volumes 1 → 2");
    assertThat(text(new Change.Repeat(0, 1), MediaType.ANIME, Side.MAL)).isEqualTo("Times rewatched 0 → 1");
    assertThat(text(new Change.Repeat(1, 2), MediaType.MANGA, Side.MAL)).isEqualTo("Times reread 1 → 2");
  }

  @Test
  void datesReadAsDaysMonthsOrYearsAndNoDateIsADash() {
    assertThat(text(new Change.Started(FuzzyDate.EMPTY, FuzzyDate.of(2020, 5, 1)), MediaType.ANIME, Side.ANILIST))
        .isEqualTo("Started — → 1 May 2020");
    assertThat(text(new Change.Finished(FuzzyDate.of(2019, null, null), FuzzyDate.of(2020, 12, null)), MediaType.ANIME, Side.MAL))
        .isEqualTo("Finished 2019 → December 2020");
    assertThat(text(new Change.Finished(FuzzyDate.of(2021, 3, 9), FuzzyDate.EMPTY), MediaType.MANGA, Side.MAL))
        .isEqualTo("Finished 9 March 2021 → —");
  }

  @Test
  void aScoreSaysWhoseScaleItIsInAndWhatTheOtherSideHolds() {
    Change.Score toAniList = new Change.Score(Side.ANILIST, 50, 60);
    assertThat(WORDS.line(toAniList, MediaType.ANIME, Side.ANILIST, 60).text())
        .isEqualTo("Score 50 → 60 (AniList, 100-point); MyAnimeList has 6");
    Change.Score toMal = new Change.Score(Side.MAL, 5, 6);
    assertThat(WORDS.line(toMal, MediaType.ANIME, Side.MAL, 60).text())
        .isEqualTo("Score 5 → 6 (MyAnimeList); AniList has 60 (100-point)");
    assertThat(text(new Change.Score(Side.MAL, 0, 7), MediaType.ANIME, Side.MAL)).as("0 is no score").isEqualTo("Score — → 7 (MyAnimeList)");
  }

  @Test
  void aniListScoresReadInTheUsersFormat() {
    Change.Score c = new Change.Score(Side.ANILIST, 55, 80);
    assertThat(new ChangeWords(NOW, ScoreFormat.POINT_100).line(c, MediaType.ANIME, Side.ANILIST, null).text())
        .isEqualTo("Score 55 → 80 (AniList, 100-point)");
    assertThat(new ChangeWords(NOW, ScoreFormat.POINT_10_DECIMAL).line(c, MediaType.ANIME, Side.ANILIST, null).text())
        .isEqualTo("Score 5.5 → 8.0 (AniList, 10-point decimal)");
    assertThat(new ChangeWords(NOW, ScoreFormat.POINT_10).line(c, MediaType.ANIME, Side.ANILIST, null).text())
        .isEqualTo("Score 6 → 8 (AniList, 10-point)");
    assertThat(new ChangeWords(NOW, ScoreFormat.POINT_5).line(c, MediaType.ANIME, Side.ANILIST, null).text())
        .isEqualTo("Score 3 → 4 (AniList, 5-star)");
    assertThat(new ChangeWords(NOW, ScoreFormat.POINT_3).line(c, MediaType.ANIME, Side.ANILIST, null).text())
        .isEqualTo("Score 2 of 3 → 3 of 3 (AniList, 3-smiley)");
    assertThat(new ChangeWords(NOW, ScoreFormat.POINT_10_DECIMAL).line(new Change.Score(Side.MAL, 5, 8), MediaType.ANIME, Side.MAL, 80).text())
        .as("the MAL side keeps MAL's scale; AniList's value in the user's format").isEqualTo("Score 5 → 8 (MyAnimeList); AniList has 8.0 (10-point decimal)");
  }

  @Test
  void notesSayWhatHappenedAndKeepTheTextForWhoAsks() {
    ChangeWords.Line changed = WORDS.line(new Change.Notes("old words", "new words"), MediaType.ANIME, Side.MAL, null);
    assertThat(changed.text()).isEqualTo("Notes changed");
    assertThat(changed.textBefore()).isEqualTo("old words");
    assertThat(changed.textAfter()).isEqualTo("new words");
    assertThat(text(new Change.Notes("", "hello"), MediaType.ANIME, Side.MAL)).isEqualTo("Notes added");
    assertThat(text(new Change.Notes(null, "hello"), MediaType.ANIME, Side.MAL)).isEqualTo("Notes added");
    assertThat(text(new Change.Notes("bye", ""), MediaType.ANIME, Side.ANILIST)).isEqualTo("Notes removed");
  }

  @Test
  void theActionReadsAsWhatWillHappenInAPlanAndWhatHappenedInARun() {
    assertThat(ChangeWords.action(Operation.Kind.UPDATE, Side.ANILIST, ChangeWords.Tense.PLANNED)).isEqualTo("Will update on AniList");
    assertThat(ChangeWords.action(Operation.Kind.CREATE, Side.ANILIST, ChangeWords.Tense.DONE)).isEqualTo("Created on AniList");
    assertThat(ChangeWords.action(Operation.Kind.DELETE, Side.MAL, ChangeWords.Tense.DONE)).isEqualTo("Removed from MyAnimeList");
    assertThat(ChangeWords.action(Operation.Kind.DELETE, Side.MAL, ChangeWords.Tense.PLANNED)).isEqualTo("Will be removed from MyAnimeList");
    assertThat(ChangeWords.action(Operation.Kind.UPDATE, Side.MAL, ChangeWords.Tense.FAILED)).isEqualTo("Could not update on MyAnimeList");
    assertThat(ChangeWords.action(Operation.Kind.UPDATE, Side.MAL, ChangeWords.Tense.NOT_SENT)).isEqualTo("Not updated on MyAnimeList");
    assertThat(ChangeWords.Tense.of("skipped", true)).as("a preview's rows are its plan").isEqualTo(ChangeWords.Tense.PLANNED);
    assertThat(ChangeWords.Tense.of("skipped", false)).isEqualTo(ChangeWords.Tense.NOT_SENT);
    assertThat(ChangeWords.Tense.of("applied", false)).isEqualTo(ChangeWords.Tense.DONE);
  }

  @Test
  void whySaysWhichSideWasEditedAndWhenIfKnown() {
    Map<Unit, Change<?>> score = Map.of(Unit.SCORE, new Change.Score(Side.ANILIST, 50, 60));
    Operation edited = new Operation(ANIME, Side.ANILIST, Operation.Kind.UPDATE, "Frieren", 9L, score, "score from MyAnimeList",
        scored(60), NOW.minus(Duration.ofHours(2)));
    assertThat(WORDS.why(edited)).isEqualTo("Edited on MyAnimeList 2 h ago.");
    Operation unknown = new Operation(ANIME, Side.MAL, Operation.Kind.UPDATE, "Frieren", null, Map.of(Unit.SCORE, new Change.Score(Side.MAL, 5, 6)),
        "score from AniList", scored(60));
    assertThat(WORDS.why(unknown)).isEqualTo("AniList changed since the last sync.");
    Operation created = new Operation(ANIME, Side.MAL, Operation.Kind.CREATE, "Frieren", null, Map.of(), "only on AniList", scored(0),
        NOW.minus(Duration.ofDays(3)));
    assertThat(WORDS.why(created)).isEqualTo("Only on AniList (edited 3 days ago).");
    Operation deleted = new Operation(ANIME, Side.MAL, Operation.Kind.DELETE, "Frieren", null, Map.of(),
        "deleted on AniList (sync.deletions: propagate)", null);
    assertThat(WORDS.why(deleted)).isEqualTo("Deleted on AniList (sync.deletions: propagate).");
    assertThat(WORDS.ago(NOW.minusSeconds(20))).isEqualTo("just now");
    assertThat(WORDS.ago(NOW.minus(Duration.ofMinutes(5)))).isEqualTo("5 min ago");
    assertThat(WORDS.ago(NOW.minus(Duration.ofDays(400)))).isEqualTo("on 27 March 2025");
  }

  @Test
  void aWebhookGetsOneLineWithTheTitleTheActionEveryChangeAndWhy() {
    Map<Unit, Change<?>> changes = new EnumMap<>(Unit.class);
    changes.put(Unit.STATUS, new Change.Status(ListStatus.onAniList(AniListStatus.CURRENT), ListStatus.onAniList(AniListStatus.COMPLETED)));
    changes.put(Unit.PROGRESS, new Change.Progress(10, 12));
    changes.put(Unit.FINISH, new Change.Finished(FuzzyDate.EMPTY, FuzzyDate.of(2026, 4, null)));
    Operation op = new Operation(MANGA, Side.ANILIST, Operation.Kind.UPDATE, "Berserk", 7L, changes, "status from MyAnimeList",
        null, NOW.minus(Duration.ofMinutes(30)));
    assertThat(WORDS.summary(op, ChangeWords.Tense.DONE)).isEqualTo(
        "Berserk: Updated on AniList — Status Reading → Completed; Progress 10 → 12 chapters; Finished — → April 2026. Edited on MyAnimeList 30 min ago.");
    JsonObject row = new JsonObject().put("status", "applied").put("operation", CoreJson.operation(op));
    assertThat(WORDS.summary(row, false)).as("the same from the run journal's row").isEqualTo(WORDS.summary(op, ChangeWords.Tense.DONE));
  }

  @Test
  void valuesSideBySideReadAsTheirUnit() {
    assertThat(WORDS.value(Unit.STATUS, Side.MAL, MediaType.ANIME, ListStatus.onMal(MalStatus.ON_HOLD, false))).isEqualTo("On hold");
    assertThat(WORDS.value(Unit.STATUS, Side.ANILIST, MediaType.ANIME, ListStatus.onAniList(AniListStatus.PAUSED))).isEqualTo("Paused");
    assertThat(WORDS.value(Unit.PROGRESS, Side.MAL, MediaType.MANGA, 1)).isEqualTo("1 chapter");
    assertThat(WORDS.value(Unit.SCORE, Side.ANILIST, MediaType.ANIME, 0)).isEqualTo("—");
    assertThat(WORDS.value(Unit.START, Side.ANILIST, MediaType.ANIME, FuzzyDate.of(2020, 5, null))).isEqualTo("May 2020");
    assertThat(WORDS.value(Unit.NOTES, Side.ANILIST, MediaType.ANIME, null)).isEqualTo("—");
  }

  @Test
  void aRunsScoreFormatIsReadFromItsCounts() {
    JsonObject run = new JsonObject().put("summary", new JsonObject().put("types",
        new JsonObject().put("ANIME", new JsonObject().put("scoreFormat", "POINT_10_DECIMAL"))));
    assertThat(ChangeWords.forRun(run, NOW).score(Side.ANILIST, 75)).isEqualTo("7.5");
    assertThat(ChangeWords.forRun(new JsonObject(), NOW).score(Side.ANILIST, 75)).isEqualTo("75");
  }

  @Test
  void aDifferenceBetweenTheSidesReadsAsBothValuesInWords() {
    NeutralState ani = new NeutralState(AniListStatus.CURRENT, 3, 80, 0, 0, FuzzyDate.of(2020, 5, 1), FuzzyDate.EMPTY, "");
    NeutralState malSide = new NeutralState(AniListStatus.COMPLETED, 12, 70, 0, 0, FuzzyDate.EMPTY, FuzzyDate.EMPTY, "");
    assertThat(WORDS.difference(Unit.SCORE, MediaType.ANIME, ani, malSide)).isEqualTo("Score: AniList 80 (100-point), MyAnimeList 7");
    assertThat(WORDS.difference(Unit.STATUS, MediaType.ANIME, ani, malSide)).isEqualTo("Status: AniList Watching, MyAnimeList Completed");
    assertThat(WORDS.difference(Unit.START, MediaType.ANIME, ani, malSide)).isEqualTo("Started: AniList 1 May 2020, MyAnimeList —");
    // a held-apart line as the planner writes it, said again without the states
    assertThat(ChangeWords.difference("start_date: AniList 2020-05-01, MyAnimeList —", Unit.START, MediaType.MANGA))
        .isEqualTo("Started: AniList 1 May 2020, MyAnimeList —");
    assertThat(ChangeWords.difference("status: AniList CURRENT, MyAnimeList COMPLETED", Unit.STATUS, MediaType.MANGA))
        .isEqualTo("Status: AniList Reading, MyAnimeList Completed");
  }
}
