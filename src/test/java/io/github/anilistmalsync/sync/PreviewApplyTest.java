package io.github.anilistmalsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.bus.FailureKind;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.model.ScoreFormat;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Preview then Apply: the writes sent are exactly those the preview showed, or none when the lists moved on. */
@ExtendWith(VertxExtension.class)
class PreviewApplyTest {
  private SyncHarness harness;

  @AfterEach
  void stop() {
    harness.close();
  }

  private JsonObject apply(Vertx vertx, String previewId) {
    return vertx.eventBus().<JsonObject>request(Addresses.SYNC_APPLY, new JsonObject().put("runId", previewId),
        new DeliveryOptions().setSendTimeout(120_000)).await().body();
  }

  private static int plannedWrites(JsonObject result) {
    int n = 0;
    for (String type : result.getJsonObject("types").fieldNames()) {
      n += result.getJsonObject("types").getJsonObject(type).getJsonObject("plan").getJsonArray("operations").size();
    }
    return n;
  }

  @Test
  void applyingAnUnchangedPreviewSendsExactlyItsWritesAndTheListsThenAgree(Vertx vertx, @TempDir Path dir) {
    harness = new SyncHarness(vertx, dir, ScoreFormat.POINT_10).seed(120, 5).start(new JsonObject());
    JsonObject preview = harness.sync(new JsonObject().put("dryRun", true));
    int shown = plannedWrites(preview);
    assertThat(shown).isPositive();
    assertThat(harness.writes()).isZero();

    JsonObject applied = apply(vertx, preview.getString("runId"));

    assertThat(applied.getString("result")).as(applied.encodePrettily()).isEqualTo("ok");
    assertThat(applied.getString("applyOf")).isEqualTo(preview.getString("runId"));
    assertThat(harness.writes()).isEqualTo(shown);
    assertThat(harness.disagreements()).isEmpty();
    // the same preview applied again finds nothing left to do and writes nothing
    JsonObject again = apply(vertx, preview.getString("runId"));
    assertThat(again.getString("result")).isEqualTo("planChanged");
    assertThat(harness.writes()).isEqualTo(shown);
    assertThat(plannedWrites(again)).isZero();
  }

  @Test
  void aPreviewMadeStaleByAnEditWritesNothingAndItsReplanCanBeApplied(Vertx vertx, @TempDir Path dir) {
    harness = new SyncHarness(vertx, dir, ScoreFormat.POINT_10).seed(120, 6).start(new JsonObject());
    harness.sync();
    MalEntry target = harness.mal.entries(MediaType.ANIME).stream()
        .filter(e -> harness.aniList.entryByMalId(MediaType.ANIME, e.id()).isPresent()).findFirst().orElseThrow();
    harness.mal.putEntry(Entries.withComments(target, "first edit"));
    JsonObject preview = harness.sync(new JsonObject().put("dryRun", true));
    assertThat(plannedWrites(preview)).isEqualTo(1);
    // the user edits the entry again on MAL after looking at the preview
    MalEntry second = Entries.withComments(harness.mal.entry(MediaType.ANIME, target.id()), "second edit");
    harness.mal.putEntry(new MalEntry(second.id(), second.type(), second.title(), second.mediaType(), second.progressTotal(),
        second.volumesTotal(), second.nsfw(), second.status(), second.score(), second.progress(), second.volumesRead(), second.repeating(),
        second.repeatCount(), second.startDate(), second.finishDate(), second.comments(), second.tags(), second.priority(), Instant.now().plusSeconds(5)));
    harness.aniList.clearLog();
    harness.mal.clearLog();

    JsonObject stale = apply(vertx, preview.getString("runId"));

    assertThat(stale.getString("result")).isEqualTo("planChanged");
    assertThat(stale.getJsonArray("errors").encode()).contains("changed since preview " + preview.getString("runId"));
    assertThat(harness.writes()).isZero();
    JsonObject replanned = apply(vertx, stale.getString("runId"));
    assertThat(replanned.getString("result")).isEqualTo("ok");
    assertThat(harness.writes()).isEqualTo(1);
    assertThat(harness.aniList.entryByMalId(MediaType.ANIME, target.id()).orElseThrow().notes()).isEqualTo("second edit");
  }

  @Test
  void onlyPreviewsCanBeApplied(Vertx vertx, @TempDir Path dir) {
    harness = new SyncHarness(vertx, dir, ScoreFormat.POINT_10).seed(30, 7).start(new JsonObject());
    String written = harness.sync().getString("runId");
    for (String id : new String[] {written, "no-such-run"}) {
      Throwable refused = vertx.eventBus().request(Addresses.SYNC_APPLY, new JsonObject().put("runId", id))
          .map(x -> (Throwable) null).otherwise(e -> e).await();
      assertThat(ServiceException.from(refused).kind()).isIn(FailureKind.INVALID, FailureKind.NOT_FOUND);
      assertThat(refused.getMessage()).contains(id);
    }
  }
}
