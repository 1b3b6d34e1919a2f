package io.github.anilistmalsync.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The line at the top of every page that says whether the lists are in sync, and the dashboard's type cards, each
 * with its own result: the web verticle over real HTTP, answered on the bus as the coordinator and the token service
 * answer (their replies set per test).
 */
@ExtendWith(VertxExtension.class)
class StatusLineTest {
  @TempDir Path dataDir;
  private final WebVerticleTest site = new WebVerticleTest();
  private final AtomicReference<JsonObject> status = new AtomicReference<>();
  private final AtomicReference<JsonObject> auth = new AtomicReference<>(signedIn("anilist", "mal"));
  private DashboardClient.Browser browser;
  private final Instant now = Instant.now();

  @BeforeEach
  void start(Vertx vertx) {
    site.dataDir = dataDir;
    site.deploy(vertx);
    vertx.eventBus().<JsonObject>consumer(Addresses.SYNC_STATUS, m -> {
      if (status.get() == null) m.fail(1, "no coordinator"); else m.reply(status.get());
    });
    vertx.eventBus().<JsonObject>consumer(Addresses.AUTH_STATUS, m -> m.reply(auth.get()));
    vertx.eventBus().<JsonObject>consumer(Addresses.SYNC_RUNS, m -> m.reply(new JsonObject().put("runs", new JsonArray())));
    status.set(coordinator(null));
    browser = site.login();
  }

  @Test
  void inSyncTheLineCountsTheEntriesAndSaysWhenTheyWereCheckedOnEveryPage() {
    status.set(coordinator(null,
        type("ANIME", run("r1", "ok", ago(120)).put("types", counts("ANIME", 600, 0))),
        type("MANGA", run("r1", "ok", ago(120)).put("types", counts("MANGA", 684, 0)))));
    for (String page : new String[] {"/", "/history", "/accounts", "/config", "/history/r1"}) {
      String html = get(page);
      assertThat(line(html)).as(page).contains("class=\"status-line status-ok\"")
          .contains("In sync — 1,284 entries, checked <time datetime=\"" + ago(120) + "\"").contains(">2 min ago</time>");
    }
  }

  @Test
  void aFailedRunSaysSoWithItsReasonAndNextTryAndOnlyTheFailedTypesCardShowsIt() {
    JsonObject failed = run("r2", "failed", ago(300))
        .put("types", counts("ANIME", 40, 0).mergeIn(counts("MANGA", 0, 1)))
        .put("errors", new JsonArray().add("manga: MyAnimeList could not be reached (connection refused)"));
    status.set(coordinator(null,
        type("ANIME", failed).put("nextRunAt", in(630)), type("MANGA", failed).put("nextRunAt", in(630))));
    String html = get("/");
    assertThat(line(html)).contains("status-failed")
        .contains("Manga sync failed <time").contains(">5 min ago</time>: MyAnimeList could not be reached (connection refused)")
        .contains(" — next try <time").contains(">in 10 min</time>")
        .contains("href=\"/history/r2\">What happened</a>");
    assertThat(card(html, "ANIME")).contains("status-ok").contains(">Synced</a>").doesNotContain("What went wrong");
    assertThat(card(html, "MANGA")).contains("status-failed").contains(">Failed</a>")
        .contains("<li>MyAnimeList could not be reached (connection refused)</li>").contains("1 error");
    assertThat(html).doesNotContain("1 errors");
  }

  @Test
  void entriesLeftUnmappedOrHeldApartAreCountedAsNeedingTheUser() {
    status.set(coordinator(null, type("ANIME", run("r3", "ok", ago(60)).put("types", new JsonObject()
        .put("ANIME", new JsonObject().put("unchanged", 70).put("unmapped", 2).put("heldApart", 1))))));
    assertThat(line(get("/history"))).contains("status-warn").contains("3 entries need you")
        .contains("href=\"" + WebPagesTest.escaped("/library?state=needs_you") + "\"");
  }

  @Test
  void aServiceThatNeedsSignInAgainStopsTheLineUntilItIsConnected() {
    auth.set(new JsonObject().put("services", new JsonArray()
        .add(new JsonObject().put("service", "anilist").put("state", "needsSignIn"))
        .add(new JsonObject().put("service", "mal").put("state", "signedIn"))));
    assertThat(line(get("/"))).contains("status-warn").contains("Not syncing yet: connect AniList to start.");
    status.set(coordinator(null, type("ANIME", run("r4", "needsSignIn", ago(60))
        .put("errors", new JsonArray().add("anime needs sign-in: AniList refused the token")))));
    assertThat(line(get("/"))).contains("status-failed").contains("AniList needs you to sign in again")
        .contains("href=\"/accounts\"");
    assertThat(get("/")).doesNotContainPattern(">[^<]*needsSignIn");
  }

  @Test
  void aGuardedRunAsksForAPreviewAndARunningOneSaysSo() {
    status.set(coordinator(null, type("ANIME", run("r5", "refused", ago(60))
        .put("types", counts("ANIME", 10, 0)).put("errors", new JsonArray().add("anime: would delete 40 entries")))));
    assertThat(line(get("/"))).contains("status-warn").contains("Sync stopped by the mass-change guard")
        .contains("href=\"/preview\"");
    status.set(coordinator("r6", type("ANIME", run("r5", "ok", ago(60)))));
    assertThat(line(get("/"))).contains("status-busy").contains("Syncing now");
  }

  @Test
  void withoutTheCoordinatorTheLineSaysNothingSyncsAndTheApiCarriesTheLine() {
    status.set(coordinator(null, type("ANIME", run("r1", "ok", ago(120)).put("types", counts("ANIME", 5, 0)))));
    JsonObject api = site.client.get("/api/status").putHeader("Cookie", browser.cookie()).send().await().bodyAsJsonObject();
    assertThat(api.getJsonObject("statusLine").getString("text")).startsWith("In sync — 5 entries, checked 2 min ago");
    assertThat(api.getJsonObject("statusLine").getString("tone")).isEqualTo("ok");
    status.set(null);
    assertThat(line(get("/accounts"))).contains("status-failed").contains("Not syncing");
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  private String get(String path) {
    return site.client.get(path).putHeader("Cookie", browser.cookie()).send().await().bodyAsString();
  }

  private static String line(String html) {
    int start = html.indexOf("<p id=\"status-line\"");
    assertThat(start).as("the page has the status line:\n" + html).isNotNegative();
    return html.substring(start, html.indexOf("</p>", start));
  }

  private static String card(String html, String type) {
    int start = html.indexOf("data-type=\"" + type + "\"");
    assertThat(start).as("a card for " + type).isNotNegative();
    return html.substring(html.lastIndexOf("<article", start), html.indexOf("</article>", start));
  }

  private String ago(long seconds) {
    return now.minus(Duration.ofSeconds(seconds)).toString();
  }

  private String in(long seconds) {
    return now.plus(Duration.ofSeconds(seconds)).toString();
  }

  private static JsonObject coordinator(String running, JsonObject... types) {
    return new JsonObject().put("running", running).put("types", new JsonArray(java.util.List.of((Object[]) types)));
  }

  private static JsonObject type(String type, JsonObject lastRun) {
    return new JsonObject().put("type", type).put("lastRun", lastRun);
  }

  private static JsonObject run(String id, String result, String finishedAt) {
    return new JsonObject().put("runId", id).put("result", result).put("finishedAt", finishedAt).put("trigger", "schedule")
        .put("dryRun", false).put("types", new JsonObject()).put("errors", new JsonArray());
  }

  private static JsonObject counts(String type, int unchanged, int errors) {
    return new JsonObject().put(type, new JsonObject().put("created", 0).put("updated", 0).put("deleted", 0)
        .put("unchanged", unchanged).put("heldApart", 0).put("unmapped", 0).put("conflicts", 0).put("errors", errors));
  }

  private static JsonObject signedIn(String... services) {
    JsonArray out = new JsonArray();
    for (String s : services) out.add(new JsonObject().put("service", s).put("state", "signedIn"));
    return new JsonObject().put("services", out);
  }
}
