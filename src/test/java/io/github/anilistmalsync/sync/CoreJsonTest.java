package io.github.anilistmalsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.AniListStatus;
import io.github.anilistmalsync.model.FuzzyDate;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sync.core.Change;
import io.github.anilistmalsync.sync.core.ListStatus;
import io.github.anilistmalsync.sync.core.NeutralState;
import io.github.anilistmalsync.sync.core.Operation;
import io.github.anilistmalsync.sync.core.PairKey;
import io.github.anilistmalsync.sync.core.Side;
import io.github.anilistmalsync.sync.core.Unit;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The journal keeps operations in the services' request fields, and rows of every version read back as typed changes. */
class CoreJsonTest {
  private static final PairKey KEY = new PairKey(MediaType.ANIME, new MalId(1), new AniListMediaId(1001));

  @Test
  void neutralStateSurvivesItsJsonForm() {
    NeutralState s = new NeutralState(AniListStatus.REPEATING, 3, 85, 2, 1, FuzzyDate.of(2020, 1, null), FuzzyDate.EMPTY, "n");
    assertThat(CoreJson.neutral(CoreJson.neutral(s))).isEqualTo(s);
  }

  @Test
  void aMalRowWrittenBeforeChangesHadTypesReadsAsTypedChanges() {
    Operation op = CoreJson.operation(new JsonObject("""
        {"key":{"type":"ANIME","malId":1,"aniListId":1001},"target":"MAL","kind":"UPDATE","title":"Show 1","anilistEntryId":null,
         "changes":{"status":{"before":"watching","after":"completed"},"is_rewatching":{"before":true,"after":true},
                    "score":{"before":7,"after":9},"start_date":{"before":"","after":"2020-04"},"num_watched_episodes":{"before":3,"after":5}},
         "reason":"status from AniList","sourceState":null}"""));
    assertThat(op.changes()).containsExactly(
        Map.entry(Unit.STATUS, new Change.Status(new ListStatus(AniListStatus.CURRENT, true), new ListStatus(AniListStatus.COMPLETED, true))),
        Map.entry(Unit.PROGRESS, new Change.Progress(3, 5)),
        Map.entry(Unit.SCORE, new Change.Score(Side.MAL, 7, 9)),
        Map.entry(Unit.START, new Change.Started(FuzzyDate.EMPTY, FuzzyDate.of(2020, 4, null))));
    assertThat(((Change.Score) op.changes().get(Unit.SCORE)).after100()).isEqualTo(90);
  }

  @Test
  void anAniListCreationKeepsItsRequestFieldsInTheJournalAndReadsBackTheSame() {
    Operation op = new Operation(KEY, Side.ANILIST, Operation.Kind.CREATE, "Show 1", null, Map.of(
        Unit.STATUS, new Change.Status(null, ListStatus.onAniList(AniListStatus.REPEATING)),
        Unit.SCORE, new Change.Score(Side.ANILIST, null, 85),
        Unit.FINISH, new Change.Finished(null, FuzzyDate.of(2021, 2, 3)),
        Unit.NOTES, new Change.Notes(null, "loved it")), "only on MyAnimeList", null);
    JsonObject json = CoreJson.operation(op);
    assertThat(json.getJsonObject("changes").fieldNames()).containsExactly("status", "scoreRaw", "completedAt", "notes");
    assertThat(json.getJsonObject("changes").getJsonObject("completedAt").getValue("after"))
        .isEqualTo(new JsonObject().put("year", 2021).put("month", 2).put("day", 3));
    assertThat(CoreJson.operation(new JsonObject(json.encode()))).isEqualTo(op);
    assertThat(CoreJson.wire(Side.ANILIST).fields(op).getMap())
        .containsExactly(Map.entry("status", "REPEATING"), Map.entry("scoreRaw", 85),
            Map.entry("completedAt", new JsonObject().put("year", 2021).put("month", 2).put("day", 3)), Map.entry("notes", "loved it"));
  }

  @Test
  void aDeleteIsJournalledAsTheEntryGoing() {
    Operation op = new Operation(KEY, Side.MAL, Operation.Kind.DELETE, "Show 1", null, Map.of(), "deleted on AniList", null);
    JsonObject json = CoreJson.operation(op);
    assertThat(json.getJsonObject("changes").encode()).isEqualTo("{\"entry\":{\"before\":\"present\",\"after\":\"deleted\"}}");
    assertThat(CoreJson.operation(json)).isEqualTo(op);
  }

  @Test
  void aRefusedNoteRecordedAsRequestFieldsIsComparedAsTheNote() {
    String note = "x".repeat(6500);
    assertThat(CoreJson.wire(Side.ANILIST).refusedValue(MediaType.ANIME, Unit.NOTES, "{notes=" + note + "}")).isEqualTo(note);
    assertThat(CoreJson.wire(Side.ANILIST).refusedValue(MediaType.ANIME, Unit.NOTES, note)).isEqualTo(note);
  }
}
