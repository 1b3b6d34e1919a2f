package io.github.anilistmalsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.bus.FailureKind;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.model.ScoreFormat;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What the dashboard asks the coordinator: runs, one run's writes with before and after values, unmapped entries, pins. */
@ExtendWith(VertxExtension.class)
class CoordinatorQueriesTest {
  private SyncHarness harness;

  @AfterEach
  void stop() {
    harness.close();
  }

  private JsonObject ask(Vertx vertx, String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body).await().body();
  }

  @Test
  void aRunCanBeListedAndOpenedWithEachWritesBeforeAndAfter(Vertx vertx, @TempDir Path dir) {
    harness = new SyncHarness(vertx, dir, ScoreFormat.POINT_10).seed(100, 3).start(new JsonObject());
    String runId = harness.sync().getString("runId");
    JsonArray runs = ask(vertx, Addresses.SYNC_RUNS, new JsonObject()).getJsonArray("runs");
    assertThat(runs.getJsonObject(0).getString("id")).isEqualTo(runId);
    JsonObject run = ask(vertx, Addresses.SYNC_RUN, new JsonObject().put("runId", runId));
    JsonObject update = run.getJsonArray("operations").stream().map(o -> (JsonObject) o)
        .filter(o -> "UPDATE".equals(o.getString("kind"))).findFirst().orElseThrow();
    assertThat(update.getString("status")).isEqualTo("applied");
    JsonObject changes = update.getJsonObject("operation").getJsonObject("changes");
    String field = changes.fieldNames().iterator().next();
    assertThat(changes.getJsonObject(field).getValue("before")).isNotEqualTo(changes.getJsonObject(field).getValue("after"));
    Throwable unknown = vertx.eventBus().request(Addresses.SYNC_RUN, new JsonObject().put("runId", "nope")).map(x -> (Throwable) null)
        .otherwise(e -> e).await();
    assertThat(ServiceException.from(unknown).kind()).isEqualTo(FailureKind.NOT_FOUND);
  }

  @Test
  void anUnmappedEntryPinnedByHandIsPairedByTheNextSync(Vertx vertx, @TempDir Path dir) {
    harness = new SyncHarness(vertx, dir, ScoreFormat.POINT_10).seed(150, 11).start(new JsonObject());
    harness.sync();
    JsonArray unmapped = ask(vertx, Addresses.SYNC_UNMAPPED, new JsonObject()).getJsonArray("unmapped");
    JsonObject malOnly = unmapped.stream().map(o -> (JsonObject) o).filter(u -> "MAL".equals(u.getString("side"))).findFirst().orElseThrow();
    // the AniList media for it exists, only without a MAL id: pin the pair by hand
    int aniListId = (malOnly.getString("type").equals("ANIME") ? 100_000 : 200_000) + malOnly.getInteger("id") - 1_000;
    ask(vertx, Addresses.SYNC_MAPPING_SET, new JsonObject().put("action", "pin").put("type", malOnly.getString("type"))
        .put("malId", malOnly.getInteger("id")).put("aniListId", aniListId));
    JsonObject after = harness.sync();
    assertThat(after.getString("result")).isEqualTo("ok");
    JsonArray still = ask(vertx, Addresses.SYNC_UNMAPPED, new JsonObject()).getJsonArray("unmapped");
    assertThat(still.stream().map(o -> (JsonObject) o))
        .noneMatch(u -> u.getInteger("id").equals(malOnly.getInteger("id")) && "MAL".equals(u.getString("side")) && u.getString("type").equals(malOnly.getString("type")));
  }
}
