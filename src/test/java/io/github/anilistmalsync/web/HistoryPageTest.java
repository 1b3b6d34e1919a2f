package io.github.anilistmalsync.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * History as a person reads it, over real HTTP, with the run journal answered on the bus as the coordinator answers
 * it: a label per run of when and what, one label per kind of trigger, quiet runs folded, filters and paging.
 */
@ExtendWith(VertxExtension.class)
class HistoryPageTest {
  private static final Pattern RUN_LINK = Pattern.compile("<tr class=\"run[^\"]*\"[^>]*>\\s*<td data-label=\"Run\"><a href=\"/history/([^\"]+)\"");
  @TempDir Path dataDir;
  private final WebVerticleTest site = new WebVerticleTest();
  private final List<JsonObject> runs = new ArrayList<>();
  private DashboardClient.Browser browser;
  private final Instant start = Instant.parse("2026-11-24T08:00:00Z");

  @BeforeEach
  void start(Vertx vertx) {
    site.dataDir = dataDir;
    site.deploy(vertx);
    vertx.eventBus().<JsonObject>consumer(Addresses.SYNC_RUNS, m -> {
      List<JsonObject> newestFirst = new ArrayList<>(runs);
      java.util.Collections.reverse(newestFirst);
      m.reply(new JsonObject().put("runs", new JsonArray(new ArrayList<Object>(newestFirst))));
    });
    browser = site.login();
  }

  @Test
  void eachRunIsLabelledByWhenAndWhatWithOneLabelPerKindOfTrigger() {
    add("s1", "schedule", false, "ok", 2, 1);
    add("m1", "manual", false, "ok", 0, 3);
    add("l1", "live", false, "ok", 1, 0);
    add("p1", "preview", true, "ok", 4, 0);
    add("d1", "manual", true, "ok", 1, 0);
    add("a1", "preview", false, "ok", 4, 0);
    add("u1", "undo", false, "ok", 0, 2);
    add("t1", "settle", false, "ok", 0, 1);
    add("g1", "signin", false, "ok", 0, 1);
    add("c1", "cli", false, "ok", 0, 1);
    String html = get("/history");
    assertThat(label(html, "s1")).isEqualTo("2026-11-24 08:00 UTC · schedule · 3 written");
    assertThat(html).contains("<time datetime=\"2026-11-24T08:00:00Z\" title=\"2026-11-24 08:00:00 UTC\" data-style=\"calendar\">");
    assertThat(label(html, "m1")).endsWith(" · manual · 3 written");
    assertThat(label(html, "l1")).endsWith(" · live · 1 written");
    // a dry run is a preview, whoever asked for it; carrying one out is an apply
    assertThat(label(html, "p1")).endsWith(" · preview · 4 planned");
    assertThat(label(html, "d1")).endsWith(" · preview · 1 planned");
    assertThat(label(html, "a1")).endsWith(" · apply · 4 written");
    assertThat(label(html, "u1")).endsWith(" · undo · 2 written");
    assertThat(label(html, "t1")).endsWith(" · settle · 1 written");
    assertThat(label(html, "g1")).endsWith(" · after sign-in · 1 written");
    assertThat(label(html, "c1")).endsWith(" · command line · 1 written");
    assertThat(html).contains("<td data-label=\"Written\" class=\"written\">3</td>").contains("2 created, 1 updated, 0 deleted, 0 unchanged");
  }

  @Test
  void aFailedRunIsVisiblyFailedAndRunsThatWroteNothingAreFoldedTogether() {
    add("w1", "schedule", false, "ok", 1, 0);
    add("q1", "schedule", false, "ok", 0, 0);
    add("q2", "live", false, "ok", 0, 0);
    add("q3", "schedule", false, "ok", 0, 0);
    add("f1", "schedule", false, "failed", 0, 0).getJsonObject("summary").put("errors", new JsonArray().add("anime: AniList could not be reached"));
    add("q4", "schedule", false, "ok", 0, 0);
    String html = get("/history");
    assertThat(shownRuns(html)).containsExactly("q4", "f1", "w1");
    assertThat(html).containsPattern("<tr class=\"run status-failed\"[^>]*>\\s*<td data-label=\"Run\"><a href=\"/history/f1\"")
        .contains("<span class=\"status status-failed\">Failed</span>");
    // three quiet runs in a row: one row, opened on demand; a single quiet one stays a row of its own
    assertThat(html).contains("<summary>3 quiet runs, nothing written")
        .contains("href=\"/history/q1\"").contains("href=\"/history/q2\"").contains("href=\"/history/q3\"");
    assertThat(html).doesNotContain("1 errors").doesNotContain("planChanged").doesNotContain("needsSignIn");
  }

  @Test
  void filtersKeepTheRunsOfOneTriggerOrResultAndPagingStepsThroughFiftyAtATime() {
    for (int i = 0; i < 120; i++) {
      add("r" + i, i % 2 == 0 ? "schedule" : "live", false, i % 10 == 0 ? "failed" : "ok", 1, 0);
    }
    String first = get("/history");
    assertThat(shownRuns(first)).hasSize(50).startsWith("r119", "r118").endsWith("r70");
    assertThat(first).contains("(page 1 of 3)").contains("href=\"/history?page=2\"").doesNotContain("Newer");

    String last = get("/history?page=3");
    assertThat(shownRuns(last)).hasSize(20).endsWith("r1", "r0");
    assertThat(last).contains("href=\"/history?page=2\" rel=\"prev\"").doesNotContain("Older");

    String live = get("/history?trigger=live");
    assertThat(shownRuns(live)).hasSize(50).allMatch(id -> Integer.parseInt(id.substring(1)) % 2 == 1);
    assertThat(live).contains("<option value=\"live\" selected>").contains("href=\"/history?page=2&trigger=live\"");

    String failed = get("/history?result=failed");
    assertThat(shownRuns(failed)).hasSize(12).allMatch(id -> Integer.parseInt(id.substring(1)) % 10 == 0);
    assertThat(get("/history?trigger=undo")).contains("No run matches these filters.");
    assertThat(shownRuns(get("/history?page=nine"))).hasSize(50).startsWith("r119");
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  private JsonObject add(String id, String trigger, boolean dryRun, String result, int created, int updated) {
    String started = start.plusSeconds(60L * runs.size()).toString();
    JsonObject counts = new JsonObject().put("created", created).put("updated", updated).put("deleted", 0)
        .put("unchanged", 0).put("heldApart", 0).put("unmapped", 0).put("conflicts", 0).put("errors", result.equals("ok") ? 0 : 1);
    JsonObject run = new JsonObject().put("id", id).put("trigger", trigger).put("mode", "bidirectional").put("dryRun", dryRun)
        .put("startedAt", started).put("finishedAt", started).put("result", result)
        .put("summary", new JsonObject().put("runId", id).put("result", result).put("dryRun", dryRun)
            .put("types", new JsonObject().put("ANIME", counts)).put("errors", new JsonArray()));
    runs.add(run);
    return run;
  }

  /** The page, with the entities Handlebars writes in attributes (= and &) read back as a browser reads them. */
  private String get(String path) {
    return site.client.get(path).putHeader("Cookie", browser.cookie()).send().await().bodyAsString()
        .replace("&#x3D;", "=").replace("&amp;", "&");
  }

  /** A run's label as the page writes it without a script (the script renders the time in the browser's zone). */
  private static String label(String html, String id) {
    Matcher m = Pattern.compile("<a href=\"/history/" + id + "\" class=\"run-label\">(.*?)</a>").matcher(html);
    assertThat(m.find()).as("a row for run " + id).isTrue();
    return m.group(1).replaceAll("<[^>]+>", "");
  }

  /** The runs shown as rows of their own, in order. */
  private static List<String> shownRuns(String html) {
    List<String> ids = new ArrayList<>();
    Matcher m = RUN_LINK.matcher(html);
    while (m.find()) ids.add(m.group(1));
    return ids;
  }
}
