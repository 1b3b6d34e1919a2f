package io.github.anilistmalsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.model.ScoreFormat;
import io.github.anilistmalsync.sandbox.Fault;
import io.github.anilistmalsync.sandbox.SampleLists;
import io.github.anilistmalsync.sync.core.Convert;
import io.github.anilistmalsync.sync.core.NeutralState;
import io.github.anilistmalsync.sync.core.Unit;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bidirectional sync of about a thousand entries a side while both fakes fail one request in ten at random (5xx,
 * dropped connections, cut-off JSON, answers past the deadline); then the faults stop and the next syncs must leave
 * both lists agreeing, with nothing lost, nothing invented, and the state store in step with both services.
 */
@ExtendWith(VertxExtension.class)
class ChaosSyncTest {
  private static final ScoreFormat FORMAT = ScoreFormat.POINT_10_DECIMAL;
  private SyncHarness harness;

  @AfterEach
  void stop() {
    if (harness != null) harness.close();
  }

  /** Each side's entries before anything ran, keyed by type and MAL id (AniList entries without one are skipped). */
  private record Before(Map<String, NeutralState> aniList, Map<String, NeutralState> mal, Set<String> ids) {}

  @Test
  void afterSyncsUnderChaosACalmSyncConvergesWithoutLosingOrInventingAValue(Vertx vertx, @TempDir Path dir) throws Exception {
    SyncHarness h = harness = seeded(new SyncHarness(vertx, dir, FORMAT), 560, 23).start(new JsonObject());
    assertThat(h.aniList.entries(MediaType.ANIME).size() + h.aniList.entries(MediaType.MANGA).size()).isBetween(950, 1050);
    assertThat(h.mal.entries(MediaType.ANIME).size() + h.mal.entries(MediaType.MANGA).size()).isBetween(950, 1050);
    assertThat(h.disagreements()).isNotEmpty();
    Before before = before(h);

    h.aniList.chaos(0.1, 101);
    h.mal.chaos(0.1, 202);
    // and, so that at least one run surely stops half way through its writes, a burst of MAL failures after 40 writes
    h.mal.inject(Fault.status(503, "{}").when(r -> !r.path().endsWith("list") && h.mal.writes() >= 40), 40);
    List<String> chaoticResults = new ArrayList<>();
    for (int i = 0; i < 3; i++) chaoticResults.add(h.sync().getString("result"));
    assertThat(chaoticResults).contains("failed");
    assertThat(h.aniList.requests()).anyMatch(r -> r.status() >= 500);
    assertThat(h.mal.requests()).anyMatch(r -> r.status() >= 500);

    h.aniList.calm();
    h.mal.calm();
    // answers the fakes held back past the client's deadline (3 s) still land; let them, and the breakers close
    vertx.timer(3_500).await();
    JsonObject calm = null;
    for (int i = 0; i < 3 && (calm == null || !"ok".equals(calm.getString("result"))); i++) calm = h.sync();
    assertThat(calm.getString("result")).as("runs under chaos: %s, then %s", chaoticResults, calm.encodePrettily()).isEqualTo("ok");

    assertThat(h.disagreements()).isEmpty();
    assertThat(h.snapshot().keySet()).as("every entry that existed before still exists").containsAll(before.ids());
    assertThat(invented(h, before)).as("values neither side held before").isEmpty();

    JsonObject dry = h.sync(new JsonObject().put("dryRun", true));
    for (MediaType type : MediaType.values()) {
      JsonObject counts = dry.getJsonObject("types").getJsonObject(type.name());
      assertThat(counts.getInteger("created") + counts.getInteger("updated") + counts.getInteger("deleted")).as("planned for %s", type).isZero();
    }
    h.aniList.clearLog();
    h.mal.clearLog();
    assertThat(h.sync().getString("result")).isEqualTo("ok");
    assertThat(h.writes()).isZero();
    assertThat(baselinesOutOfStep(h)).as("baselines that differ from what the services hold").isEmpty();
  }

  /**
   * Both fakes seeded with {@code count} items per type in the demo's mix: more differences and one-sided entries
   * than a real list, so a third of the entries need a write and the chaos meets many of them.
   */
  private static SyncHarness seeded(SyncHarness h, int count, long seed) {
    Instant now = Instant.now();
    for (MediaType type : MediaType.values()) {
      for (SampleLists.Item item : SampleLists.generate(type, count, SampleLists.Mix.demo(), seed, now)) {
        SampleLists.seed(item, h.aniList, h.mal);
        AniListEntry e = item.aniList();
        if (e == null) continue;
        int stored = FORMAT.entered(e.score100());
        h.aniList.putEntry(new AniListEntry(e.id(), e.media(), e.status(), stored, FORMAT.display(stored), e.progress(), e.progressVolumes(),
            e.repeat(), e.isPrivate(), e.hiddenFromStatusLists(), e.notes(), e.customLists(), e.startedAt(), e.completedAt(), e.updatedAt(),
            e.createdAt()));
      }
    }
    return h;
  }

  private static Before before(SyncHarness h) {
    Map<String, NeutralState> ani = new HashMap<>();
    Map<String, NeutralState> mal = new HashMap<>();
    for (MediaType type : MediaType.values()) {
      for (AniListEntry e : h.aniList.entries(type)) {
        if (e.media().idMal() != null) ani.put(type + " " + e.media().idMal().value(), Convert.fromAniList(e));
      }
      for (MalEntry e : h.mal.entries(type)) mal.put(type + " " + e.id().value(), Convert.fromMal(e));
    }
    return new Before(ani, mal, h.snapshot().keySet());
  }

  /**
   * Every synced value of every pair that equals neither what AniList nor what MAL held for that pair before the
   * runs, each compared in its own side's terms (a MAL score against an AniList score through MAL's rounding).
   */
  private static List<String> invented(SyncHarness h, Before before) {
    List<String> out = new ArrayList<>();
    for (MediaType type : MediaType.values()) {
      Map<MalId, MalEntry> malById = new HashMap<>();
      h.mal.entries(type).forEach(e -> malById.put(e.id(), e));
      for (AniListEntry a : h.aniList.entries(type)) {
        if (a.media().idMal() == null || !malById.containsKey(a.media().idMal())) continue;
        MalEntry m = malById.get(a.media().idMal());
        String key = type + " " + m.id().value();
        NeutralState aniBefore = before.aniList().get(key);
        NeutralState malBefore = before.mal().get(key);
        NeutralState aniAfter = Convert.fromAniList(a);
        NeutralState malAfter = Convert.fromMal(m);
        Convert.Caps caps = Convert.Caps.of(m);
        for (Unit unit : EnumSet.allOf(Unit.class)) {
          boolean aniKnown = (aniBefore != null && Convert.sameOnOneSide(unit, aniBefore, aniAfter))
              || (malBefore != null && Convert.same(unit, aniAfter, malBefore, caps));
          boolean malKnown = (malBefore != null && Convert.sameOnOneSide(unit, malBefore, malAfter))
              || (aniBefore != null && Convert.same(unit, aniBefore, malAfter, caps));
          if (!aniKnown) out.add("AniList " + key + " " + unit + ": " + aniAfter + " (before: " + aniBefore + " / " + malBefore + ")");
          if (!malKnown) out.add("MAL " + key + " " + unit + ": " + malAfter + " (before: " + aniBefore + " / " + malBefore + ")");
        }
      }
    }
    return out;
  }

  /** The baselines in DATA_DIR/state.db that do not hold exactly what each service now holds for the pair. */
  private static Set<String> baselinesOutOfStep(SyncHarness h) throws Exception {
    Map<String, NeutralState> aniNow = new HashMap<>();
    Map<String, NeutralState> malNow = new HashMap<>();
    for (MediaType type : MediaType.values()) {
      h.aniList.entries(type).forEach(e -> aniNow.put(type + " " + e.media().id().value(), Convert.fromAniList(e)));
      h.mal.entries(type).forEach(e -> malNow.put(type + " " + e.id().value(), Convert.fromMal(e)));
    }
    Set<String> out = new TreeSet<>();
    int rows = 0;
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + h.dataDir.resolve("state.db"));
         Statement st = db.createStatement();
         ResultSet rs = st.executeQuery("SELECT type, mal_id, anilist_media_id, anilist_state, mal_state FROM baseline")) {
      while (rs.next()) {
        rows++;
        String type = rs.getString(1);
        NeutralState ani = CoreJson.neutral(new JsonObject(rs.getString(4)));
        NeutralState mal = CoreJson.neutral(new JsonObject(rs.getString(5)));
        if (!ani.equals(aniNow.get(type + " " + rs.getInt(3)))) out.add("AniList side of " + type + " " + rs.getInt(2));
        if (!mal.equals(malNow.get(type + " " + rs.getInt(2)))) out.add("MAL side of " + type + " " + rs.getInt(2));
      }
    }
    assertThat(rows).as("baselines recorded").isGreaterThan(900);
    return out;
  }
}
