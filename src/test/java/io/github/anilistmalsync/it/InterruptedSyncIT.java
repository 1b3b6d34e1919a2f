package io.github.anilistmalsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.model.ScoreFormat;
import io.github.anilistmalsync.sandbox.FakeAniList;
import io.github.anilistmalsync.sandbox.FakeMal;
import io.github.anilistmalsync.sandbox.RecordedRequest;
import io.github.anilistmalsync.sandbox.SampleLists;
import io.github.anilistmalsync.sync.core.Agreement;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service process stopped in the middle of applying a plan — by SIGTERM (docker stop) or SIGKILL (power loss) —
 * then started again: the next run completes the work, the state store is sound, and no entry is written twice.
 */
class InterruptedSyncIT {
  private Vertx vertx;
  private FakeAniList aniList;
  private FakeMal mal;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    aniList = new FakeAniList(vertx).user(new FakeAniList.User(1, "demo", ScoreFormat.POINT_10));
    mal = new FakeMal(vertx);
    SampleLists.seedEveryType(aniList, mal, 300, new SampleLists.Mix(20, 10, 10, 1, 1), 5, Instant.now());
    aniList.start(0).await();
    mal.start(0).await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private Path prepare(Path dir) throws Exception {
    ServiceProcess.prepareFor(dir, aniList.apiUrl(), mal.apiUrl(), "");
    return dir;
  }

  @ParameterizedTest
  @ValueSource(strings = {"SIGTERM", "SIGKILL"})
  void theNextRunFinishesTheWorkWithoutWritingAnythingTwice(String signal, @TempDir Path dir) throws Exception {
    prepare(dir);
    try (ServiceProcess first = ServiceProcess.start(dir, Map.of(), "run", "--no-web-ui", "--data-dir", dir.toString())) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (aniList.writes() + mal.writes() < 10 && System.nanoTime() < deadline) Thread.sleep(50);
      assertThat(aniList.writes() + mal.writes()).as(first.output()).isGreaterThanOrEqualTo(10);
      if (signal.equals("SIGTERM")) {
        first.terminate();
        assertThat(first.waitFor(Duration.ofSeconds(15))).as(first.output()).isZero();
        assertThat(first.output()).contains("stopped");
      } else {
        first.kill();
        first.waitFor(Duration.ofSeconds(15));
      }
    }
    long writesBefore = aniList.writes() + mal.writes();
    assertThat(writesBefore).isLessThan(200);  // it really was stopped part-way

    try (ServiceProcess second = ServiceProcess.start(dir, Map.of(), "run", "--once", "--data-dir", dir.toString())) {
      assertThat(second.waitFor(Duration.ofSeconds(120))).as(second.output()).isZero();
    }
    for (MediaType type : MediaType.values()) {
      assertThat(Agreement.disagreements(aniList.entries(type), mal.entries(type))).isEmpty();
    }
    Map<String, Integer> writesPerEntry = new HashMap<>();
    for (RecordedRequest r : mal.requests()) {
      if (r.isWrite()) writesPerEntry.merge("mal " + r.path(), 1, Integer::sum);
    }
    assertThat(writesPerEntry.values()).as("MAL entries written more than once").allMatch(n -> n == 1);
    List<String> aniWrites = aniList.requests().stream().filter(RecordedRequest::isWrite)
        .map(r -> new io.vertx.core.json.JsonObject(r.body()).getJsonObject("variables").encode()).toList();
    assertThat(aniWrites).as("AniList writes repeated").doesNotHaveDuplicates();
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state.db"));
         ResultSet rs = db.createStatement().executeQuery("PRAGMA integrity_check")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("ok");
    }
  }
}
