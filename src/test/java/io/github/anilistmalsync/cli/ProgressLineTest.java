package io.github.anilistmalsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What {@code run --once} shows while it syncs: one line rewritten in place on a terminal, nothing when piped. */
class ProgressLineTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private static JsonObject progress(String phase, String type, int done, int total) {
    return new JsonObject().put("runId", "r1").put("phase", phase).put("type", type).put("done", done).put("total", total)
        .put("title", "A\u001b[2Jtitle");
  }

  @Test
  void onATerminalEachStepOverwritesTheLineAndTheLineIsWipedAtTheEnd() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    try (ProgressLine line = ProgressLine.start(vertx, out, true)) {
      vertx.eventBus().publish(Addresses.SYNC_PROGRESS, progress("fetch", "ANIME", 120, 480));
      vertx.eventBus().publish(Addresses.SYNC_PROGRESS, progress("apply", "MANGA", 3, 9));
      long until = System.nanoTime() + 5_000_000_000L;
      while (!bytes.toString(StandardCharsets.UTF_8).contains("apply") && System.nanoTime() < until) Thread.sleep(10);
    }
    String shown = bytes.toString(StandardCharsets.UTF_8);
    // the second line is padded to the first's width, so nothing of "480" is left behind it
    assertThat(shown).isEqualTo("\rfetch anime 120/480\rapply manga 3/9    \r                   \r");
  }

  @Test
  void pipedItPrintsNothing() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ProgressLine line = ProgressLine.start(vertx, new PrintStream(bytes, true, StandardCharsets.UTF_8), false)) {
      vertx.eventBus().publish(Addresses.SYNC_PROGRESS, progress("fetch", "ANIME", 1, 2));
    }
    assertThat(bytes.size()).isZero();
  }
}
