package io.github.anilistmalsync.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sandbox.SampleLibrary;
import io.github.anilistmalsync.sandbox.SampleLists;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Library page and its JSON, and the pins and ignores, over real HTTP against the real verticles on the fake
 * AniList and MAL (the same service as {@link WebPagesTest}, whose set-up it uses): every entry once with its state,
 * filters, search, paging, what a preview says the next sync will do, pairs held apart and refused, and pins
 * checked with AniList before they are saved.
 */
@ExtendWith(VertxExtension.class)
class LibraryPagesTest {
  private static final String BEARER = "Bearer " + WebPagesTest.API_TOKEN;

  @TempDir Path dataDir;
  private final WebPagesTest service = new WebPagesTest();

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    service.dataDir = dataDir;
    service.start(vertx);
  }

  @AfterEach
  void stop() {
    service.stop();
  }

  @Test
  void afterASyncEveryEntryOfBothListsIsListedOnceWithItsState() {
    service.sync();
    Map<String, JsonObject> listed = everyRow("");
    // the same lists WebPagesTest seeds
    Map<String, String> expected = SampleLibrary.statesAfterFirstSync(150, SampleLists.Mix.realistic(), 11);
    Map<String, String> states = new HashMap<>();
    listed.forEach((key, row) -> states.put(key, row.getString("state")));
    assertThat(states).isEqualTo(expected);
    JsonObject paired = listed.values().stream().filter(r -> r.getInteger("malId") > 0 && r.getInteger("aniListId") > 0)
        .findFirst().orElseThrow();
    assertThat(paired.getJsonObject("aniList").getString("status")).isEqualTo(paired.getJsonObject("mal").getString("status"));
  }

  @Test
  void theStateAndTypeFiltersTheSearchAndThePagesShowExactlyTheirEntries() {
    service.sync();
    JsonObject unmappedManga = api("/api/library?state=unmapped&type=manga");
    JsonArray rows = unmappedManga.getJsonArray("rows");
    assertThat(rows).isNotEmpty();
    assertThat(rows.stream().map(o -> (JsonObject) o)).allMatch(r -> r.getString("state").equals("unmapped") && r.getString("type").equals("MANGA"));
    assertThat(unmappedManga.getInteger("total")).isEqualTo(rows.size()).isEqualTo(unmappedManga.getJsonObject("counts").getInteger("unmapped"));
    // what the status line's "N entries need you" opens: the unmapped and the held apart, nothing else
    JsonObject needYou = api("/api/library?state=needs_you");
    JsonObject counts = needYou.getJsonObject("counts");
    assertThat(needYou.getInteger("total")).isPositive()
        .isEqualTo(counts.getInteger("unmapped", 0) + counts.getInteger("held_apart", 0));
    assertThat(needYou.getJsonArray("rows").stream().map(o -> ((JsonObject) o).getString("state"))).allMatch(st -> st.equals("unmapped") || st.equals("held_apart"));

    JsonObject all = api("/api/library");
    int total = all.getInteger("total");
    assertThat(total).isGreaterThan(250);
    assertThat(all.getJsonArray("rows")).hasSize(50);
    Set<String> seen = new HashSet<>(everyRow("").keySet());
    assertThat(seen).hasSize(total);
    JsonObject last = api("/api/library?page=" + ((total + 49) / 50));
    assertThat(last.getJsonArray("rows")).hasSize(total - (total - 1) / 50 * 50);

    String title = all.getJsonArray("rows").getJsonObject(7).getString("title");
    String part = title.substring(title.indexOf(' ') + 1).toUpperCase();
    JsonObject found = api("/api/library?q=" + Pages.urlPart(part));
    assertThat(found.getJsonArray("rows").stream().map(o -> ((JsonObject) o).getString("title"))).contains(title)
        .allMatch(t -> t.toUpperCase().contains(part) || t.toUpperCase().contains(part.replace("<", "")));
    assertThat(api("/api/library?q=" + Pages.urlPart("no title has this")).getInteger("total")).isZero();

    DashboardClient.Browser b = service.login();
    HttpResponse<Buffer> page = service.get(b, "/library?state=unmapped&type=MANGA");
    assertThat(page.statusCode()).isEqualTo(200);
    String html = page.bodyAsString();
    assertThat(WebVerticleTest.count(html, "<tr class=\"library-entry")).isEqualTo(rows.size());
    assertThat(html).contains("<caption>").contains("data-label=\"MyAnimeList\"").contains("<option value=\"unmapped\" selected>")
        .doesNotContain(WebPagesTest.SCRIPT).contains("&lt;script&gt;");
    assertThat(client(b, "/api/library?state=bogus").statusCode()).isEqualTo(400);
  }

  @Test
  void aPreviewShowsWhichFieldsDifferAndWhatTheNextSyncWillWrite() {
    service.sync();
    MalEntry paired = pairedOnMal(MediaType.ANIME);
    service.mal.putEntry(paired.withComments("changed on MAL for the Library"));
    service.vertx.eventBus().request(Addresses.SYNC_TRIGGER, new JsonObject().put("wait", true).put("dryRun", true)).await();

    JsonObject row = api("/api/library?type=ANIME&state=differs").getJsonArray("rows").stream().map(o -> (JsonObject) o)
        .filter(r -> r.getInteger("malId") == paired.id().value()).findFirst().orElseThrow();
    assertThat(row.getJsonArray("differences").getString(0)).startsWith("notes: AniList");
    assertThat(row.getString("next")).isEqualTo("the next sync writes notes to AniList");
    assertThat(row.getString("note")).isEqualTo("not written: dry run");

    service.sync();
    JsonObject after = api("/api/library?type=ANIME&state=in_sync&q=" + Pages.urlPart(row.getString("title")));
    assertThat(after.getJsonArray("rows").stream().map(o -> ((JsonObject) o).getInteger("malId"))).contains(paired.id().value());
  }

  @Test
  void pairsHeldApartAfterAnUndoSayWhy() {
    String runId = service.sync().getString("runId");
    DashboardClient.Browser b = service.login();
    assertThat(service.post(b, "/history/" + runId + "/undo", MultiMap.caseInsensitiveMultiMap()).statusCode()).isEqualTo(302);
    service.sync();

    JsonObject held = api("/api/library?state=held_apart");
    assertThat(held.getInteger("total")).isPositive().isEqualTo(held.getJsonObject("counts").getInteger("held_apart"));
    JsonObject first = held.getJsonArray("rows").getJsonObject(0);
    assertThat(first.getString("note")).contains("undone by run ").contains("(run " + runId + " is reverted)");
    assertThat(first.getJsonArray("differences")).isNotEmpty();
    assertThat(service.get(b, "/library?state=held_apart").bodyAsString()).contains(first.getString("note"))
        .contains("href=\"/mappings#held-apart\"");
  }

  @Test
  void aValueAServiceRefusedShowsAsRefusedWithTheServicesReason() {
    service.sync();
    MalEntry refused = pairedOnMal(MediaType.MANGA);
    service.mal.putEntry(refused.withComments("x".repeat(6_500)));
    service.sync();

    JsonObject row = api("/api/library?state=refused&type=MANGA").getJsonArray("rows").stream().map(o -> (JsonObject) o)
        .filter(r -> r.getInteger("malId") == refused.id().value()).findFirst().orElseThrow();
    assertThat(row.getString("note")).startsWith("AniList refused the notes: ");
    service.sync();
    JsonObject again = api("/api/library?state=refused&type=MANGA").getJsonArray("rows").getJsonObject(0);
    assertThat(again.getInteger("malId")).as("still refused by the next sync, which holds it apart").isEqualTo(refused.id().value());
    assertThat(again.getString("note")).contains("AniList refused this notes");
  }

  @Test
  void aPinToAMissingAniListIdIsRefusedWithASentenceAndAPinIsListedAndRemovedFromTheLibrary() {
    service.sync();
    DashboardClient.Browser b = service.login();
    JsonObject unmapped = api("/api/library?state=unmapped&type=ANIME").getJsonArray("rows").stream().map(o -> (JsonObject) o)
        .filter(r -> r.getInteger("aniListId") == 0).findFirst().orElseThrow();
    String malId = String.valueOf(unmapped.getInteger("malId"));
    String back = "/library?state=unmapped&type=ANIME";

    HttpResponse<Buffer> missing = service.post(b, "/mappings", MultiMap.caseInsensitiveMultiMap().add("action", "pin")
        .add("type", "ANIME").add("malId", malId).add("aniListId", "999999").add("back", back));
    assertThat(missing.statusCode()).isEqualTo(302);
    assertThat(missing.getHeader("Location")).isEqualTo(back);
    assertThat(service.get(b, back).bodyAsString()).contains("Not saved: AniList has no anime with the id 999999");
    assertThat(api("/api/mappings").getJsonArray("mappings")).isEmpty();
    HttpResponse<Buffer> byApi = service.client.post("/api/mappings").putHeader("Authorization", BEARER)
        .sendJsonObject(new JsonObject().put("action", "pin").put("type", "ANIME").put("malId", unmapped.getInteger("malId"))
            .put("aniListId", 999999)).await();
    assertThat(byApi.statusCode()).isEqualTo(400);
    assertThat(byApi.bodyAsJsonObject().getString("error")).contains("AniList has no anime with the id 999999");

    // the demo lists number an unmappable MAL entry's AniList media alongside it
    int aniListId = 100_000 + unmapped.getInteger("malId") - 1_000;
    service.post(b, "/mappings", MultiMap.caseInsensitiveMultiMap().add("action", "pin").add("type", "ANIME").add("malId", malId)
        .add("aniListId", String.valueOf(aniListId)).add("back", back));
    JsonArray mappings = api("/api/mappings").getJsonArray("mappings");
    assertThat(mappings).hasSize(1);
    assertThat(mappings.getJsonObject(0).getString("source")).isEqualTo("pinned");
    assertThat(mappings.getJsonObject(0).getInteger("aniListId")).isEqualTo(aniListId);
    assertThat(mappings.getJsonObject(0).getString("title")).isEqualTo(unmapped.getString("title"));
    JsonObject pinnedRow = api("/api/library?state=pinned").getJsonArray("rows").getJsonObject(0);
    assertThat(pinnedRow.getInteger("malId")).isEqualTo(unmapped.getInteger("malId"));
    assertThat(pinnedRow.getInteger("pinnedTo")).isEqualTo(aniListId);
    String html = service.get(b, "/library?state=pinned").bodyAsString();
    assertThat(html).contains("Pinned to AniList " + aniListId).contains("Remove pin").contains("id=\"pins\"");

    HttpResponse<Buffer> removed = service.post(b, "/mappings", MultiMap.caseInsensitiveMultiMap().add("action", "remove")
        .add("type", "ANIME").add("malId", malId).add("back", "/library?state=pinned"));
    assertThat(removed.getHeader("Location")).isEqualTo("/library?state=pinned");
    assertThat(api("/api/mappings").getJsonArray("mappings")).isEmpty();
    assertThat(api("/api/library?state=pinned").getInteger("total")).isZero();
    HttpResponse<Buffer> elsewhere = service.post(b, "/mappings", MultiMap.caseInsensitiveMultiMap().add("action", "ignore")
        .add("type", "ANIME").add("malId", malId).add("back", "https://elsewhere.example/library"));
    assertThat(elsewhere.getHeader("Location")).isEqualTo("/mappings");
  }

  @Test
  void theLibraryAndItsJsonNeedASession() {
    for (String api : new String[] {"/api/library", "/api/mappings"}) {
      assertThat(service.client.get(api).send().await().statusCode()).as(api).isEqualTo(401);
    }
    HttpResponse<Buffer> page = service.client.get("/library").send().await();
    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(page.getHeader("Location")).isEqualTo("/login");
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  private JsonObject api(String path) {
    HttpResponse<Buffer> r = service.client.get(path).putHeader("Authorization", BEARER).send().await();
    assertThat(r.statusCode()).as(path + ": " + r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  private HttpResponse<Buffer> client(DashboardClient.Browser b, String path) {
    return service.get(b, path);
  }

  /** Every row of the Library through its pages, keyed TYPE/malId/aniListId; fails on a row listed twice. */
  private Map<String, JsonObject> everyRow(String filters) {
    Map<String, JsonObject> out = new HashMap<>();
    List<String> twice = new ArrayList<>();
    for (int page = 1; ; page++) {
      JsonObject reply = api("/api/library?page=" + page + filters);
      for (Object o : reply.getJsonArray("rows")) {
        JsonObject r = (JsonObject) o;
        String key = r.getString("type") + "/" + r.getInteger("malId") + "/" + r.getInteger("aniListId");
        if (out.put(key, r) != null) twice.add(key);
      }
      if (page * reply.getInteger("pageSize") >= reply.getInteger("total")) break;
    }
    assertThat(twice).as("rows listed twice").isEmpty();
    return out;
  }

  /** A MAL entry of a pair the sync keeps (both sides on the lists). */
  private MalEntry pairedOnMal(MediaType type) {
    Set<Integer> onAniList = new HashSet<>();
    service.aniList.entries(type).forEach(e -> {
      if (e.media().idMal() != null) onAniList.add(e.media().idMal().value());
    });
    return service.mal.entries(type).stream().filter(e -> onAniList.contains(e.id().value())).findFirst().orElseThrow();
  }
}
