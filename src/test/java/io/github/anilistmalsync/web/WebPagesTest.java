package io.github.anilistmalsync.web;

import static io.github.anilistmalsync.web.DashboardClient.csrf;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.anilist.AniListVerticle;
import io.github.anilistmalsync.auth.AuthVerticle;
import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.client.TokenSource;
import io.github.anilistmalsync.client.Upstream;
import io.github.anilistmalsync.config.AppConfig;
import io.github.anilistmalsync.mal.MalVerticle;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.model.ScoreFormat;
import io.github.anilistmalsync.sandbox.FakeAniList;
import io.github.anilistmalsync.sandbox.FakeMal;
import io.github.anilistmalsync.sandbox.Fault;
import io.github.anilistmalsync.sandbox.SampleLists;
import io.github.anilistmalsync.sync.core.Convert;
import io.github.anilistmalsync.sync.core.NeutralState;
import io.github.anilistmalsync.sync.CoreJson;
import io.github.anilistmalsync.sync.SyncCoordinatorVerticle;
import io.github.anilistmalsync.sync.core.Operation;
import io.github.anilistmalsync.words.ChangeWords;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.github.anilistmalsync.web.DashboardClient.Browser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history, mappings and accounts pages and their JSON API, over real HTTP, against the real client verticles,
 * coordinator and token service talking to the fake AniList and MAL.
 */
@ExtendWith(VertxExtension.class)
class WebPagesTest {
  static final String PASSWORD = "correct horse battery staple";
  static final String API_TOKEN = "script-token-0123456789";
  static final String SCRIPT = "<script>alert(1)</script>";

  @TempDir Path dataDir;
  Vertx vertx;
  FakeAniList aniList;
  FakeMal mal;
  WebVerticle web;
  WebClient client;
  int oauthPort;


  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    aniList = new FakeAniList(vertx).user(new FakeAniList.User(1, "demo", ScoreFormat.POINT_100));
    mal = new FakeMal(vertx);
    Instant now = Instant.now();
    for (MediaType type : MediaType.values()) {
      for (SampleLists.Item item : SampleLists.generate(type, 150, SampleLists.Mix.realistic(), 11, now)) {
        aniList.addMedia(item.media());
        if (item.aniList() != null) aniList.putEntry(item.aniList());
        if (item.kind() != SampleLists.Kind.ANILIST_UNMAPPABLE) {
          mal.addTitle(new FakeMal.Title(item.malId(), type, SCRIPT + item.malTitle(), item.media().format().toLowerCase(),
              item.media().progressTotal(), item.media().volumes(), item.nsfw()));
        }
        if (item.mal() != null) mal.putEntry(item.mal());
      }
    }
    aniList.start(0).await();
    mal.start(0).await();
    try (ServerSocket s = new ServerSocket(0)) {
      oauthPort = s.getLocalPort();
    }
    JsonObject conf = new JsonObject()
        .put(AppConfig.DATA_DIR, dataDir.toString())
        .put("oauth", new JsonObject().put("port", oauthPort).put("redirect_uri", "http://127.0.0.1:" + oauthPort + "/callback"))
        .put("anilist", new JsonObject().put("api_url", aniList.apiUrl()).put("requests_per_minute", 60_000)
            .put("client_id", "ani-id").put("client_secret", "ani-secret")
            .put("auth_url", authUrl())
            .put("token_url", "http://127.0.0.1:" + aniList.port() + "/api/v2/oauth/token"))
        .put("myanimelist", new JsonObject().put("api_url", mal.apiUrl()).put("requests_per_second", 1_000)
            .put("client_id", "mal-id").put("client_secret", "mal-secret")
            .put("auth_url", "http://127.0.0.1:" + mal.port() + "/v1/oauth2/authorize")
            .put("token_url", "http://127.0.0.1:" + mal.port() + "/v1/oauth2/token"))
        .put("sync", new JsonObject().put("mode", "bidirectional"))
        .put("web", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("password", PASSWORD).put("api_token", API_TOKEN));
    Upstream.Options quick = Upstream.Options.defaults().withBackoff(Duration.ofMillis(10), Duration.ofMillis(100))
        .withDeadline(Duration.ofSeconds(2)).withBreaker(8, Duration.ofMillis(200));
    DeploymentOptions options = new DeploymentOptions().setConfig(conf);
    vertx.deployVerticle(new AniListVerticle(TokenSource.fixed("a-token"), quick), options).await();
    vertx.deployVerticle(new MalVerticle(TokenSource.fixed("m-token"), quick), options).await();
    vertx.deployVerticle(new SyncCoordinatorVerticle(Clock.systemUTC(), false), options).await();
    vertx.deployVerticle(new AuthVerticle(), options).await();
    web = new WebVerticle(WebTuning.defaults().withFailureDelayMs(1).withBusTimeoutMs(10_000));
    vertx.deployVerticle(web, options).await();
    client = WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(web.actualPort()).setFollowRedirects(false));
  }

  @AfterEach
  void stop() {
    aniList.stop().await();
    mal.stop().await();
  }

  private String authUrl() {
    return "http://127.0.0.1:" + aniList.port() + "/api/v2/oauth/authorize";
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  JsonObject sync() {
    return vertx.eventBus().<JsonObject>request(Addresses.SYNC_TRIGGER, new JsonObject().put("wait", true),
        new DeliveryOptions().setSendTimeout(120_000)).await().body();
  }

  JsonObject ask(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body).await().body();
  }

  Browser login() {
    return DashboardClient.login(client, PASSWORD);
  }

  HttpResponse<Buffer> get(Browser b, String path) {
    return client.get(path).putHeader("Cookie", b.cookie()).send().await();
  }

  HttpResponse<Buffer> post(Browser b, String path, MultiMap form) {
    return client.post(path).putHeader("Cookie", b.cookie()).sendForm(form.add("_csrf", b.csrf())).await();
  }

  Map<String, NeutralState> snapshot() {
    Map<String, NeutralState> out = new TreeMap<>();
    for (MediaType type : MediaType.values()) {
      aniList.entries(type).forEach(e -> out.put("anilist " + type + " " + e.media().id().value(), Convert.fromAniList(e)));
      mal.entries(type).forEach(e -> out.put("mal " + type + " " + e.id().value(), Convert.fromMal(e)));
    }
    return out;
  }

  // ---- history -------------------------------------------------------------------------------------------

  @Test
  void historyListsTheRunAndItsPageShowsAFieldsBeforeAndAfter() {
    String runId = sync().getString("runId");
    Browser b = login();
    HttpResponse<Buffer> history = get(b, "/history");
    assertThat(history.statusCode()).isEqualTo(200);
    assertThat(history.bodyAsString()).contains("/history/" + runId).contains("manual").contains("updated");

    // the page says the first change of an applied update as the one formatter says it, in the user's words
    JsonObject run = ask(Addresses.SYNC_RUN, new JsonObject().put("runId", runId));
    JsonObject update = run.getJsonArray("operations").stream().map(o -> (JsonObject) o)
        .filter(o -> "UPDATE".equals(o.getString("kind")) && "applied".equals(o.getString("status"))).findFirst().orElseThrow();
    Operation op = CoreJson.operation(update.getJsonObject("operation"));
    ChangeWords.Line line = ChangeWords.forRun(run, Instant.now()).lines(op).get(0);

    HttpResponse<Buffer> page = get(b, "/history/" + runId);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(line.before()).isNotEqualTo(line.after());
    assertThat(page.bodyAsString())
        .contains("<span class=\"field\">" + line.label() + "</span> <span class=\"before\">" + escaped(line.before())
            + "</span> → <span class=\"after\">" + escaped(line.after()) + "</span>")
        .contains("Updated on " + op.target().label())
        .contains("action=\"/history/" + runId + "/undo\"");
    assertThat(get(b, "/history/no-such-run").statusCode()).isEqualTo(404);
  }

  /** As Handlebars writes a value into the page. */
  static String escaped(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#x27;")
        .replace("`", "&#x60;").replace("=", "&#x3D;");
  }

  /** The request fields the services' APIs use and the core's own names: none belongs on a page. */
  static final List<String> WIRE_NAMES = List.of("scoreRaw", "num_watched_episodes", "num_chapters_read", "is_rewatching",
      "is_rereading", "startedAt", "completedAt", "start_date", "finish_date", "num_times_rewatched", "num_times_reread",
      "progressVolumes", "repeat", "planChanged", "needsSignIn", "ANILIST", "UPDATE", "CREATE", "problem(s)", "1 errors");

  /** The page's text as a person reads it: the main part, without the tags (attribute values are not read). */
  static String readable(String html) {
    String main = html.substring(html.indexOf("<main"), html.indexOf("</main>"));
    return main.replaceAll("<[^>]*>", " ");
  }

  @Test
  void aPreviewAndARunPageSpeakInWordsWithoutFieldNamesOrJson() {
    Browser b = login();
    String previewPath = post(b, "/preview", MultiMap.caseInsensitiveMultiMap()).getHeader("Location");
    String preview = get(b, previewPath).bodyAsString();
    String runPath = post(b, previewPath + "/apply", MultiMap.caseInsensitiveMultiMap()).getHeader("Location");
    assertThat(runPath).startsWith("/history/");
    String runPage = get(b, runPath).bodyAsString();

    for (String page : List.of(preview, runPage)) {
      String text = readable(page);
      assertThat(text).contains("Score").contains("Status").contains("Progress").doesNotContain("{").doesNotContain("}");
      for (String name : WIRE_NAMES) {
        assertThat(text).as("no program word %s on the page", name).doesNotContain(name);
      }
    }
    // a preview says what will happen, and none of its rows is marked as a failure or as skipped
    assertThat(readable(preview)).contains("Will update on").contains("Will be created on").contains("episodes").contains("chapters")
        .contains("Planned: nothing is written until you apply it")
        .doesNotContain("skipped").doesNotContain("dry run").doesNotContain("Failed");
    String rows = preview.substring(preview.indexOf("<table class=\"operations"), preview.indexOf("</table>", preview.indexOf("<table class=\"operations")));
    assertThat(rows).doesNotContain("status-failed");
    assertThat(readable(runPage)).contains("Updated on").contains("Created on").contains("Done")
        .doesNotContain("Will update");
    assertThat(runPage).contains("class=\"outcome status status-ok\"").contains("<p class=\"notice\" role=\"status\">Applied the plan of");
  }

  @Test
  void historyLabelsTheRunByWhatItWroteAndItsUndoSaysWhatItWillRestore() {
    JsonObject result = sync();
    String runId = result.getString("runId");
    JsonObject run = ask(Addresses.SYNC_RUN, new JsonObject().put("runId", runId));
    long toAniList = run.getJsonArray("operations").stream().map(o -> (JsonObject) o)
        .filter(o -> "applied".equals(o.getString("status")) && "ANILIST".equals(o.getString("side"))).count();
    long toMal = run.getJsonArray("operations").stream().map(o -> (JsonObject) o)
        .filter(o -> "applied".equals(o.getString("status")) && "MAL".equals(o.getString("side"))).count();
    assertThat(toAniList).isPositive();
    assertThat(toMal).isPositive();
    Browser b = login();
    assertThat(get(b, "/history").bodyAsString()).containsPattern(
        "<a href=\"/history/" + runId + "\" class=\"run-label\"><time [^>]*>[^<]+</time> · manual · " + (toAniList + toMal) + " written</a>");
    assertThat(get(b, "/history/" + runId).bodyAsString()).contains("data-confirm=\"Undo run " + runId + ": restores "
        + toAniList + (toAniList == 1 ? " entry" : " entries") + " on AniList and " + toMal + " on MyAnimeList to what they were before it.");
  }

  @Test
  void undoFromTheRunPageRestoresTheListsAndRedirectsToTheUndoRun() {
    Map<String, NeutralState> before = snapshot();
    String runId = sync().getString("runId");
    assertThat(snapshot()).isNotEqualTo(before);
    Browser b = login();
    HttpResponse<Buffer> r = post(b, "/history/" + runId + "/undo", MultiMap.caseInsensitiveMultiMap());
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(snapshot()).isEqualTo(before);
    String location = r.getHeader("Location");
    assertThat(location).startsWith("/history/").isNotEqualTo("/history/" + runId);
    HttpResponse<Buffer> undoPage = get(b, location);
    assertThat(undoPage.statusCode()).isEqualTo(200);
    assertThat(undoPage.bodyAsString()).contains("Undo of run " + runId + ": ok");
  }

  @Test
  void aDryRunOffersNoUndoAndAFailedUndoComesBackWithItsMessage() {
    String dryRunId = vertx.eventBus().<JsonObject>request(Addresses.SYNC_TRIGGER, new JsonObject().put("wait", true)
        .put("dryRun", true), new DeliveryOptions().setSendTimeout(120_000)).await().body().getString("runId");
    Browser b = login();
    HttpResponse<Buffer> page = get(b, "/history/" + dryRunId);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.bodyAsString()).contains("dry run").doesNotContain("/undo\"");
    long writes = aniList.writes() + mal.writes();
    HttpResponse<Buffer> r = post(b, "/history/no-such-run/undo", MultiMap.caseInsensitiveMultiMap());
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.getHeader("Location")).isEqualTo("/history/no-such-run");
    assertThat(get(b, "/history").bodyAsString()).contains("Undo failed");
    assertThat(aniList.writes() + mal.writes()).isEqualTo(writes);
  }

  // ---- preview -------------------------------------------------------------------------------------------

  @Test
  void previewShowsThePlanWithoutWritingAndApplyCarriesOutExactlyThatPlan() {
    Browser b = login();
    assertThat(get(b, "/preview").bodyAsString()).contains("No preview yet");
    HttpResponse<Buffer> made = post(b, "/preview", MultiMap.caseInsensitiveMultiMap());
    assertThat(made.statusCode()).isEqualTo(302);
    String previewPath = made.getHeader("Location");
    assertThat(previewPath).startsWith("/preview/");
    assertThat(aniList.writes() + mal.writes()).isZero();
    String previewId = previewPath.substring("/preview/".length());
    JsonObject run = ask(Addresses.SYNC_RUN, new JsonObject().put("runId", previewId));
    int planned = run.getJsonArray("operations").size();
    assertThat(planned).isPositive();

    String page = get(b, previewPath).bodyAsString();
    assertThat(page).contains("Apply this plan (" + planned + " writes)").contains("action=\"/preview/" + previewId + "/apply\"")
        .doesNotContain(SCRIPT);
    assertThat(get(b, "/preview").getHeader("Location")).isEqualTo(previewPath);

    HttpResponse<Buffer> applied = post(b, previewPath + "/apply", MultiMap.caseInsensitiveMultiMap());
    assertThat(applied.statusCode()).isEqualTo(302);
    assertThat(applied.getHeader("Location")).startsWith("/history/");
    assertThat(aniList.writes() + mal.writes()).isEqualTo(planned);
    assertThat(get(b, applied.getHeader("Location")).bodyAsString()).contains("Applied the plan of " + previewId + ": ok");

    // applied once, the preview is stale: a second Apply writes nothing and shows the new (empty) plan
    HttpResponse<Buffer> again = post(b, previewPath + "/apply", MultiMap.caseInsensitiveMultiMap());
    assertThat(again.getHeader("Location")).startsWith("/preview/").isNotEqualTo(previewPath);
    assertThat(get(b, again.getHeader("Location")).bodyAsString()).contains("The lists changed since that preview")
        .contains("Nothing to write").as("a stale plan is a warning, not a success").contains("<p class=\"warning\" role=\"status\">The lists changed since that preview");
    assertThat(aniList.writes() + mal.writes()).isEqualTo(planned);
  }

  @Test
  void aWriteAServiceRefusedReadsAsAFailureAndTheOthersAsDone() {
    mal.inject(Fault.status(400, "{\"error\":\"invalid_content\",\"message\":\"score is not valid\"}")
        .when(r -> r.method().name().equals("PATCH")), 1000);
    String runId = sync().getString("runId");
    Browser b = login();
    String page = get(b, "/history/" + runId).bodyAsString();
    String text = readable(page);
    assertThat(text).containsPattern("Could not (update|be created) on MyAnimeList").contains("Failed: ")
        .contains("Updated on AniList").doesNotContain("{");
    assertThat(page).contains("class=\"outcome status status-failed\"").contains("class=\"outcome status status-ok\"");
  }

  // ---- mappings ------------------------------------------------------------------------------------------

  @Test
  void pinningAnUnmappedEntryOnTheMappingsPagePairsItOnTheNextSync() {
    sync();
    Browser b = login();
    JsonObject malOnly = ask(Addresses.SYNC_UNMAPPED, new JsonObject()).getJsonArray("unmapped").stream()
        .map(o -> (JsonObject) o).filter(u -> "MAL".equals(u.getString("side"))).findFirst().orElseThrow();
    HttpResponse<Buffer> page = get(b, "/mappings");
    assertThat(page.statusCode()).isEqualTo(200);
    String html = page.bodyAsString();
    assertThat(html).contains("<td data-label=\"Id\">" + malOnly.getInteger("id") + "</td>")
        .contains("name=\"malId\" value=\"" + malOnly.getInteger("id") + "\"")
        .contains("<input type=\"hidden\" name=\"_csrf\" value=\"" + b.csrf() + "\">\n        <input type=\"hidden\" name=\"type\"");

    int aniListId = (malOnly.getString("type").equals("ANIME") ? 100_000 : 200_000) + malOnly.getInteger("id") - 1_000;
    HttpResponse<Buffer> pinned = post(b, "/mappings", MultiMap.caseInsensitiveMultiMap().add("action", "pin")
        .add("type", malOnly.getString("type")).add("malId", String.valueOf(malOnly.getInteger("id")))
        .add("aniListId", String.valueOf(aniListId)));
    assertThat(pinned.statusCode()).isEqualTo(302);
    assertThat(pinned.getHeader("Location")).isEqualTo("/mappings");
    assertThat(get(b, "/mappings").bodyAsString()).contains("Pinned " + malOnly.getString("type").toLowerCase()
        + " MAL " + malOnly.getInteger("id") + " to AniList " + aniListId);

    assertThat(sync().getString("result")).isEqualTo("ok");
    JsonArray still = ask(Addresses.SYNC_UNMAPPED, new JsonObject()).getJsonArray("unmapped");
    assertThat(still.stream().map(o -> (JsonObject) o)).noneMatch(u -> u.getInteger("id").equals(malOnly.getInteger("id"))
        && "MAL".equals(u.getString("side")) && u.getString("type").equals(malOnly.getString("type")));
  }

  @Test
  void afterAnUndoTheMappingsPageShowsWhatDiffersAndWhyAndSettlesAPairTheWayTheUserChooses() {
    String runId = sync().getString("runId");
    Browser b = login();
    assertThat(post(b, "/history/" + runId + "/undo", MultiMap.caseInsensitiveMultiMap()).statusCode()).isEqualTo(302);
    JsonObject after = sync();
    assertThat(after.getJsonObject("types").getJsonObject("ANIME").getInteger("heldApart")).isPositive();
    JsonObject held = ask(Addresses.SYNC_UNMAPPED, new JsonObject()).getJsonArray("heldApart").getJsonObject(0);
    assertThat(held.getString("reason")).contains("undone by run");

    String html = get(b, "/mappings").bodyAsString();
    assertThat(html).contains("Entries that differ").contains(held.getString("reason"))
        .contains("name=\"malId\" value=\"" + held.getInteger("malId") + "\"");
    // what differs, in words: the unit's label and both values as a person reads them, not the core's field name
    String line = held.getJsonArray("differences").getString(0);
    String field = line.substring(0, line.indexOf(':'));
    String said = io.github.anilistmalsync.words.ChangeWords.difference(line,
        io.github.anilistmalsync.sync.core.LibraryRows.unitOf(line), MediaType.parse(held.getString("type")));
    assertThat(said).doesNotStartWith(field);
    assertThat(html).contains(escaped(said)).doesNotContain("<div>" + escaped(line) + "</div>");
    HttpResponse<Buffer> settled = post(b, "/mappings/settle", MultiMap.caseInsensitiveMultiMap()
        .add("type", held.getString("type")).add("malId", String.valueOf(held.getInteger("malId"))).add("keep", "MAL"));
    assertThat(settled.statusCode()).isEqualTo(302);
    assertThat(get(b, "/mappings").bodyAsString()).contains("Keeping MyAnimeList&#x27;s values");
    for (int i = 0; i < 200 && !settleRunFinished(); i++) vertx.timer(50).await();
    assertThat(stillHeld(held)).as("the settle run wrote MAL's values to AniList").isFalse();
    MediaType type = MediaType.parse(held.getString("type"));
    MalId id = new MalId(held.getInteger("malId"));
    assertThat(io.github.anilistmalsync.sync.core.Agreement.disagreements(List.of(aniList.entryByMalId(type, id).orElseThrow()),
        List.of(mal.entry(type, id)))).isEmpty();
  }

  private boolean settleRunFinished() {
    JsonObject last = ask(Addresses.SYNC_RUNS, new JsonObject()).getJsonArray("runs").getJsonObject(0);
    return "settle".equals(last.getString("trigger")) && last.getString("finishedAt") != null;
  }

  private boolean stillHeld(JsonObject held) {
    return ask(Addresses.SYNC_UNMAPPED, new JsonObject()).getJsonArray("heldApart").stream().map(o -> (JsonObject) o)
        .anyMatch(h -> h.getInteger("malId").equals(held.getInteger("malId")) && h.getString("type").equals(held.getString("type")));
  }

  @Test
  void signedOutOfBothServicesTheDashboardShowsTheStepsAndSyncNowSaysWhyItIsDisabled() {
    Browser b = login();
    String html = get(b, "/").bodyAsString();
    assertThat(html).contains("Get started").contains("action=\"/accounts/anilist/connect\"")
        .contains("action=\"/accounts/mal/connect\"").contains("Connect AniList").contains("Connect MyAnimeList")
        .contains("Preview the first sync (once both are connected)")
        .containsPattern("id=\"sync-now\"[^>]* disabled")
        .contains("Connect AniList and MyAnimeList first: a sync needs both accounts.")
        .doesNotContainPattern(">[^<]*needsSignIn").doesNotContain("1 errors");
    HttpResponse<Buffer> connect = post(b, "/accounts/mal/connect", MultiMap.caseInsensitiveMultiMap());
    assertThat(connect.statusCode()).isBetween(300, 399);
    assertThat(connect.getHeader("Location")).contains("/start/mal");
  }

  @Test
  void titlesAreEscapedOnEveryPage() {
    String runId = sync().getString("runId");
    Browser b = login();
    for (String path : new String[] {"/mappings", "/history/" + runId}) {
      String html = get(b, path).bodyAsString();
      assertThat(html).as(path).doesNotContain(SCRIPT);
    }
    assertThat(get(b, "/mappings").bodyAsString()).contains("&lt;script&gt;");
  }

  // ---- accounts ------------------------------------------------------------------------------------------

  /** Words of the program, not of a person: enum names, state words of URLs, the side's short name, ISO instants. */
  static final List<String> PROGRAM_WORDS = List.of("planChanged", "needsSignIn", "problem(s)", "1 errors", "day(s)",
      "IN_SYNC", "HELD_APART", "ONE_SIDE", "held_apart", "in_sync", "one_side", "ANILIST", "COMPLETED", "CURRENT", "PLANNING");

  static void speaksInWords(String page, String html) {
    // the user's own notes are theirs to word: the sample lists' say "edited on MAL"
    String text = readable(html.replaceAll("(?s)<details class=\"notes-text\">.*?</details>", ""));
    for (String word : PROGRAM_WORDS) {
      assertThat(text).as("%s says no %s", page, word).doesNotContain(word);
    }
    for (String[] rule : new String[][] {{"names MyAnimeList in full", "\\bMAL\\b(?! ids?\\b)"},
        {"says the type as a word", "\\b(ANIME|MANGA)\\b"}, {"shows no ISO instant", "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d"}}) {
      Matcher m = Pattern.compile(rule[1]).matcher(text);
      assertThat(m.find() ? text.substring(Math.max(0, m.start() - 80), Math.min(text.length(), m.end() + 40)) : null)
          .as("%s %s", page, rule[0]).isNull();
    }
  }

  @Test
  void everyPageSpeaksInAPersonsWordsAfterASyncAPreviewAndAnUndo() {
    String runId = sync().getString("runId");
    Browser b = login();
    String previewPath = post(b, "/preview", MultiMap.caseInsensitiveMultiMap()).getHeader("Location");
    assertThat(post(b, "/history/" + runId + "/undo", MultiMap.caseInsensitiveMultiMap()).statusCode()).isEqualTo(302);
    for (String page : List.of("/", "/library", "/library?state=held_apart", "/library?state=unmapped", "/history",
        "/history/" + runId, previewPath, "/mappings", "/accounts")) {
      HttpResponse<Buffer> r = get(b, page);
      assertThat(r.statusCode()).as(page).isEqualTo(200);
      speaksInWords(page, r.bodyAsString());
    }
    speaksInWords("/login", client.get("/login").send().await().bodyAsString());
  }

  @Test
  void accountsShowEachServicesStateAndConnectRedirectsToTheSignInStartLink() {
    Browser b = login();
    HttpResponse<Buffer> page = get(b, "/accounts");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.bodyAsString()).contains("AniList").contains("MyAnimeList").contains("needs sign-in")
        .contains("action=\"/accounts/anilist/connect\">\n      <input type=\"hidden\" name=\"_csrf\" value=\"" + b.csrf() + "\">");
    HttpResponse<Buffer> r = post(b, "/accounts/anilist/connect", MultiMap.caseInsensitiveMultiMap());
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.getHeader("Location")).isEqualTo("http://127.0.0.1:" + oauthPort + "/start/anilist");
  }

  // ---- API -----------------------------------------------------------------------------------------------

  @Test
  void theJsonApiAnswersWithTheApiTokenAndNeverCarriesASecret() {
    String runId = sync().getString("runId");
    String bearer = "Bearer " + API_TOKEN;
    JsonObject runs = client.get("/api/runs").putHeader("Authorization", bearer).send().await().bodyAsJsonObject();
    assertThat(runs.getJsonArray("runs").getJsonObject(0).getString("id")).isEqualTo(runId);
    HttpResponse<Buffer> run = client.get("/api/runs/" + runId).putHeader("Authorization", bearer).send().await();
    assertThat(run.statusCode()).isEqualTo(200);
    assertThat(run.bodyAsJsonObject().getJsonArray("entries")).isNotEmpty();
    assertThat(client.get("/api/runs/nope").putHeader("Authorization", bearer).send().await().statusCode()).isEqualTo(404);
    HttpResponse<Buffer> unmapped = client.get("/api/unmapped").putHeader("Authorization", bearer).send().await();
    assertThat(unmapped.bodyAsJsonObject().getJsonArray("unmapped")).isNotEmpty();
    HttpResponse<Buffer> accounts = client.get("/api/accounts").putHeader("Authorization", bearer).send().await();
    assertThat(accounts.bodyAsJsonObject().getJsonArray("services")).hasSize(2);
    HttpResponse<Buffer> bad = client.post("/api/mappings").putHeader("Authorization", bearer)
        .sendJsonObject(new JsonObject().put("action", "pin")).await();
    assertThat(bad.statusCode()).isEqualTo(400);
    JsonObject malOnly = unmapped.bodyAsJsonObject().getJsonArray("unmapped").stream().map(o -> (JsonObject) o)
        .filter(u -> "MAL".equals(u.getString("side"))).findFirst().orElseThrow();
    HttpResponse<Buffer> ignore = client.post("/api/mappings").putHeader("Authorization", bearer)
        .sendJsonObject(new JsonObject().put("action", "ignore").put("type", malOnly.getString("type"))
            .put("malId", malOnly.getInteger("id"))).await();
    assertThat(ignore.statusCode()).isEqualTo(200);
    HttpResponse<Buffer> status = client.get("/api/status").putHeader("Authorization", bearer).send().await();
    JsonObject anime = status.bodyAsJsonObject().getJsonArray("types").getJsonObject(0);
    assertThat(anime.getJsonObject("lastRun").getString("runId")).isEqualTo(runId);
    assertThat(status.bodyAsJsonObject().getJsonObject("totals").getLong("runs")).isEqualTo(1);
    assertThat(status.bodyAsJsonObject().getJsonArray("services")).hasSize(2);
    HttpResponse<Buffer> preview = client.post("/api/preview").putHeader("Authorization", bearer).send().await();
    assertThat(preview.statusCode()).isEqualTo(200);
    assertThat(preview.bodyAsJsonObject().getBoolean("dryRun")).isTrue();
    String previewId = preview.bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> applied = client.post("/api/preview/" + previewId + "/apply").putHeader("Authorization", bearer).send().await();
    assertThat(applied.statusCode()).isEqualTo(200);
    assertThat(applied.bodyAsJsonObject().getString("applyOf")).isEqualTo(previewId);
    assertThat(client.post("/api/preview/" + runId + "/apply").putHeader("Authorization", bearer).send().await().statusCode())
        .as("a run that wrote is not a preview").isEqualTo(400);
    HttpResponse<Buffer> undo = client.post("/api/runs/" + runId + "/undo").putHeader("Authorization", bearer).send().await();
    assertThat(undo.statusCode()).isEqualTo(200);
    assertThat(undo.bodyAsJsonObject().getString("undoOf")).isEqualTo(runId);
    for (HttpResponse<Buffer> r : new HttpResponse[] {run, unmapped, accounts, undo, status, preview, applied}) {
      assertThat(r.bodyAsString()).doesNotContain("a-token", "m-token", "ani-secret", "mal-secret", API_TOKEN, PASSWORD);
    }
  }

  // ---- guards --------------------------------------------------------------------------------------------

  @Test
  void everyNewPostWithoutTheCsrfTokenIsRefused() {
    String runId = sync().getString("runId");
    Browser b = login();
    String[] posts = {"/history/" + runId + "/undo", "/mappings", "/accounts/anilist/connect", "/api/runs/" + runId + "/undo",
        "/api/mappings", "/preview", "/preview/" + runId + "/apply", "/api/preview", "/api/preview/" + runId + "/apply", "/config"};
    for (String path : posts) {
      HttpResponse<Buffer> r = client.post(path).putHeader("Cookie", b.cookie())
          .sendForm(MultiMap.caseInsensitiveMultiMap().add("action", "ignore").add("type", "ANIME").add("malId", "1")).await();
      assertThat(r.statusCode()).as(path).isEqualTo(403);
    }
    assertThat(ask(Addresses.SYNC_RUNS, new JsonObject()).getJsonArray("runs")).hasSize(1);
  }

  @Test
  void everyNewPageAndApiWithoutASessionIsRefused() {
    String runId = sync().getString("runId");
    for (String page : new String[] {"/history", "/history/" + runId, "/mappings", "/accounts", "/preview", "/preview/" + runId, "/config"}) {
      HttpResponse<Buffer> r = client.get(page).send().await();
      assertThat(r.statusCode()).as(page).isEqualTo(302);
      assertThat(r.getHeader("Location")).isEqualTo("/login");
    }
    for (String api : new String[] {"/api/runs", "/api/runs/" + runId, "/api/unmapped", "/api/accounts", "/api/status", "/api/config"}) {
      assertThat(client.get(api).send().await().statusCode()).as(api).isEqualTo(401);
    }
    for (String post : new String[] {"/history/" + runId + "/undo", "/mappings", "/accounts/mal/connect"}) {
      assertThat(client.post(post).send().await().statusCode()).as(post).isEqualTo(302);
    }
    for (String api : new String[] {"/api/runs/" + runId + "/undo", "/api/mappings", "/api/preview", "/api/preview/" + runId + "/apply"}) {
      assertThat(client.post(api).send().await().statusCode()).as(api).isEqualTo(401);
      assertThat(client.post(api).putHeader("Authorization", "Bearer wrong").send().await().statusCode()).as(api).isEqualTo(401);
    }
    assertThat(ask(Addresses.SYNC_RUNS, new JsonObject()).getJsonArray("runs")).hasSize(1);
  }
}
