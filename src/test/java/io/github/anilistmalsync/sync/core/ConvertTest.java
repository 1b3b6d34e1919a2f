package io.github.anilistmalsync.sync.core;

import static io.github.anilistmalsync.sync.Entries.ani;
import static io.github.anilistmalsync.sync.Entries.mal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.github.anilistmalsync.mal.MalWire;
import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.FuzzyDate;
import io.github.anilistmalsync.model.MalStatus;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.model.ScoreFormat;
import io.github.anilistmalsync.sync.Entries;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ConvertTest {

  @ParameterizedTest
  @CsvSource({
    "CURRENT, IN_PROGRESS, false, watching, reading",
    "PLANNING, PLANNED, false, plan_to_watch, plan_to_read",
    "COMPLETED, COMPLETED, false, completed, completed",
    "PAUSED, ON_HOLD, false, on_hold, on_hold",
    "DROPPED, DROPPED, false, dropped, dropped",
    "REPEATING, COMPLETED, true, completed, completed"
  })
  void everyStatusMapsBothWays(AniListStatus aniList, MalStatus malStatus, boolean repeating, String animeWord, String mangaWord) {
    assertThat(Convert.toMalStatus(aniList)).isEqualTo(malStatus);
    assertThat(malStatus.apiWord(MediaType.ANIME)).isEqualTo(animeWord);
    assertThat(malStatus.apiWord(MediaType.MANGA)).isEqualTo(mangaWord);
    assertThat(Convert.fromMal(mal(1, malStatus, repeating, 3, 0, 1)).status()).isEqualTo(aniList);
    assertThat(malFields(MediaType.ANIME, Unit.STATUS, Convert.fromAniList(ani(1, aniList, 3, 0, 1))))
        .containsOnly(entry("status", animeWord), entry("is_rewatching", repeating));
  }

  @ParameterizedTest
  @EnumSource(MalStatus.class)
  void theRewatchFlagReadsAsRepeatingWhateverTheMalStatus(MalStatus status) {
    assertThat(Convert.fromMal(mal(1, status, true, 5, 0, 1)).status()).isEqualTo(AniListStatus.REPEATING);
  }

  @Test
  void repeatingKeepsTheProgressOfTheCurrentRewatch() {
    NeutralState fromMal = Convert.fromMal(mal(1, MalStatus.COMPLETED, true, 4, 0, 1));
    assertThat(fromMal.progress()).isEqualTo(4);
    assertThat(malFields(MediaType.MANGA, Unit.STATUS, fromMal))
        .containsEntry("status", "completed").containsEntry("is_rereading", true);
    assertThat(malFields(MediaType.MANGA, Unit.PROGRESS, fromMal)).containsEntry("num_chapters_read", 4);
  }

  @ParameterizedTest
  @CsvSource({"0,0", "1,1", "4,1", "14,1", "15,2", "84,8", "85,9", "90,9", "95,10", "100,10"})
  void aniListScoresRoundHalfUpToMalAndNeverToZero(int score100, int malScore) {
    assertThat(Convert.toMalScore(score100)).isEqualTo(malScore);
  }

  @Property
  void aMalScoreRoundTripsThroughEveryFormatWithoutDrift(@ForAll @IntRange(min = 0, max = 10) int malScore, @ForAll ScoreFormat format) {
    int storedOnAniList = malScore * 10; // AniList keeps a scoreRaw as sent
    NeutralState ani = Convert.fromAniList(ani(1, AniListStatus.COMPLETED, 24, storedOnAniList, 1));
    NeutralState mal = Convert.fromMal(mal(1, MalStatus.COMPLETED, false, 24, malScore, 1));
    assertThat(Convert.same(Unit.SCORE, ani, mal, Convert.Caps.NONE)).isTrue();
  }

  @Property
  void anAniListScoreRoundTripsThroughMalWithoutDrift(@ForAll @IntRange(min = 0, max = 100) int raw, @ForAll ScoreFormat format) {
    int onAniList = format.entered(raw);
    int onMal = Convert.toMalScore(onAniList);
    assertThat(onMal == 0).isEqualTo(onAniList == 0);
    NeutralState ani = Convert.fromAniList(ani(1, AniListStatus.COMPLETED, 24, onAniList, 1));
    NeutralState mal = Convert.fromMal(mal(1, MalStatus.COMPLETED, false, 24, onMal, 1));
    assertThat(Convert.same(Unit.SCORE, ani, mal, Convert.Caps.NONE)).isTrue();
  }

  @Test
  void progressCappedByMalAtTheTotalIsEqual() {
    NeutralState ani = Convert.fromAniList(ani(1, AniListStatus.COMPLETED, 30, 0, 1));
    NeutralState mal = Convert.fromMal(mal(1, MalStatus.COMPLETED, false, 24, 0, 1));
    assertThat(Convert.same(Unit.PROGRESS, ani, mal, new Convert.Caps(24, null))).isTrue();
    assertThat(Convert.same(Unit.PROGRESS, ani, mal, Convert.Caps.NONE)).isFalse();
  }

  @Test
  void partialDatesStayPartialBothWays() {
    FuzzyDate yearMonth = FuzzyDate.of(2017, 10, null);
    FuzzyDate year = FuzzyDate.of(2017, null, null);
    assertThat(yearMonth.toMalString()).isEqualTo("2017-10");
    assertThat(year.toMalString()).isEqualTo("2017");
    assertThat(FuzzyDate.parseMal("2017-10")).isEqualTo(yearMonth);
    assertThat(FuzzyDate.parseMal("2017")).isEqualTo(year);
    assertThat(FuzzyDate.parseMal("2017-10-23")).isEqualTo(FuzzyDate.of(2017, 10, 23));
    assertThat(FuzzyDate.fromJson(yearMonth.toJson())).isEqualTo(yearMonth);
    assertThat(FuzzyDate.EMPTY.toMalString()).isEmpty();
    assertThat(FuzzyDate.of(null, 5, 3)).isEqualTo(FuzzyDate.EMPTY);
  }

  @Test
  void notesAreComparedWithoutLineEndingOrEdgeWhitespaceDifferences() {
    NeutralState ani = Convert.fromAniList(Entries.withNotes(ani(1, AniListStatus.CURRENT, 1, 0, 1), "great\r\nshow "));
    NeutralState mal = Convert.fromMal(Entries.withComments(mal(1, MalStatus.IN_PROGRESS, false, 1, 0, 1), "great\nshow"));
    assertThat(Convert.same(Unit.NOTES, ani, mal, Convert.Caps.NONE)).isTrue();
    NeutralState noNotes = Convert.fromAniList(ani(1, AniListStatus.CURRENT, 1, 0, 1));
    NeutralState emptyComments = Convert.fromMal(mal(1, MalStatus.IN_PROGRESS, false, 1, 0, 1));
    assertThat(Convert.same(Unit.NOTES, noNotes, emptyComments, Convert.Caps.NONE)).isTrue();
  }

  /** The MAL request fields of {@code unit} with the values of {@code s}. */
  private static Map<String, Object> malFields(MediaType type, Unit unit, NeutralState s) {
    JsonObject f = new JsonObject();
    MalWire.INSTANCE.put(f, type, unit, Convert.valueOn(Side.MAL, type, unit, s));
    return f.getMap();
  }
}
