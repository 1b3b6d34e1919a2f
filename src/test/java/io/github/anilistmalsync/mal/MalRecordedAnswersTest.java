package io.github.anilistmalsync.mal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.bus.FetchedLists;
import io.github.anilistmalsync.client.RequestMetrics;
import io.github.anilistmalsync.client.TokenSource;
import io.github.anilistmalsync.client.Upstream;
import io.github.anilistmalsync.model.FuzzyDate;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MalStatus;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sandbox.FakeMal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Answers the real MAL API gave (recorded by nstratos/go-myanimelist, see src/test/resources/recorded/mal/README.md),
 * replayed over HTTP: each one parses through MalClient, and the fake MAL answers the same requests with the same key
 * paths, so the fake cannot drift from what MAL sends.
 */
@ExtendWith(VertxExtension.class)
class MalRecordedAnswersTest {
  private static final String ANIME_FORM = "status=watching&num_watched_episodes=73&score=8&comments=You+wa+shock%21"
      + "&start_date=2022-02-20&finish_date=";
  private static final String MANGA_FORM = "status=reading&num_volumes_read=1&num_chapters_read=5&comments=Migi"
      + "&start_date=2022-02-20&finish_date=";

  private Vertx vertx;
  private HttpServer replay;
  private FakeMal fake;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    Router router = Router.router(vertx);
    serve(router, HttpMethod.GET, "/v2/users/@me/animelist", "userAnimeList");
    serve(router, HttpMethod.GET, "/v2/users/@me/mangalist", "userMangaList");
    serve(router, HttpMethod.PATCH, "/v2/anime/967/my_list_status", "updateMyAnimeList");
    serve(router, HttpMethod.PATCH, "/v2/manga/401/my_list_status", "updateMyMangaList");
    serve(router, HttpMethod.GET, "/v2/users/@me", "userMyInfo");
    replay = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    fake = new FakeMal(vertx);
    fake.start(0).await();
  }

  @AfterEach
  void stop() {
    replay.close().await();
    fake.stop().await();
  }

  private static void serve(Router router, HttpMethod method, String path, String recording) {
    String body = recorded(recording);
    router.route(method, path).handler(ctx -> ctx.response().putHeader("Content-Type", "application/json; charset=UTF-8").end(body));
  }

  private static String recorded(String name) {
    try (InputStream in = MalRecordedAnswersTest.class.getResourceAsStream("/recorded/mal/" + name + ".json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new AssertionError("recorded answer " + name + " is missing", e);
    }
  }

  private MalClient client(String apiUrl, String expectedUser) {
    Upstream.Options quick = Upstream.Options.defaults().withBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).withDeadline(Duration.ofSeconds(2));
    return new MalClient(vertx, new MalClient.Settings(apiUrl, 1000, quick, null, expectedUser), TokenSource.fixed("t"),
        new RequestMetrics(new SimpleMeterRegistry()));
  }

  private String replayUrl() {
    return "http://127.0.0.1:" + replay.actualPort() + "/v2";
  }

  @Test
  void everyRecordedAnswerParsesThroughTheClient() {
    MalClient client = client(replayUrl(), "nstratos");
    FetchedLists.MalList anime = client.fetch(MediaType.ANIME).await();
    assertThat(anime.skipped()).isEmpty();
    assertThat(anime.entries()).hasSize(5).first().satisfies(e -> {
      assertThat(e.id()).isEqualTo(new MalId(967));
      assertThat(e.title()).isEqualTo("Hokuto no Ken");
      assertThat(e.status()).isEqualTo(MalStatus.IN_PROGRESS);
      assertThat(e.progress()).isEqualTo(73);
      assertThat(e.updatedAt()).isEqualTo(Instant.parse("2021-03-15T09:00:58Z"));
    });
    assertThat(anime.entries().get(4).status()).isEqualTo(MalStatus.COMPLETED);

    FetchedLists.MalList manga = client.fetch(MediaType.MANGA).await();
    assertThat(manga.skipped()).isEmpty();
    assertThat(manga.entries()).extracting(MalEntry::title).containsExactly("Death Note", "Kiseijuu");
    assertThat(manga.entries().get(0)).satisfies(e -> {
      assertThat(e.status()).isEqualTo(MalStatus.COMPLETED);
      assertThat(e.progress()).isEqualTo(108);
      assertThat(e.volumesRead()).isEqualTo(12);
      assertThat(e.comments()).isEmpty();
    });
    assertThat(client.userName().await()).isEqualTo("nstratos");

    MalEntry savedAnime = client.save(MediaType.ANIME, new MalId(967), new JsonObject().put("status", "watching")
        .put("num_watched_episodes", 73).put("score", 8).put("comments", "You wa shock!").put("start_date", "2022-02-20")
        .put("finish_date", "")).await();
    assertThat(savedAnime.score()).isEqualTo(8);
    assertThat(savedAnime.progress()).isEqualTo(73);
    assertThat(savedAnime.comments()).isEqualTo("You wa shock!");
    assertThat(savedAnime.startDate()).isEqualTo(FuzzyDate.of(2022, 2, 20));
    assertThat(savedAnime.finishDate()).isEqualTo(FuzzyDate.EMPTY);
    assertThat(savedAnime.finishDateUnknown()).isFalse();

    MalEntry savedManga = client.save(MediaType.MANGA, new MalId(401), new JsonObject().put("status", "reading")
        .put("num_volumes_read", 1).put("num_chapters_read", 5).put("comments", "Migi").put("start_date", "2022-02-20")
        .put("finish_date", "")).await();
    assertThat(savedManga.status()).isEqualTo(MalStatus.IN_PROGRESS);
    assertThat(savedManga.progress()).isEqualTo(5);
    assertThat(savedManga.volumesRead()).isEqualTo(1);
    assertThat(savedManga.comments()).isEqualTo("Migi");
  }

  @Test
  void theFakeAnswersTheRecordedRequestsWithTheSameKeyPaths() {
    // the fake holds what MAL held: the entries the recorded lists carry
    MalClient reader = client(replayUrl(), null);
    reader.fetch(MediaType.ANIME).await().entries().forEach(fake::putEntry);
    reader.fetch(MediaType.MANGA).await().entries().forEach(fake::putEntry);

    assertSameShape("userAnimeList", request(HttpMethod.GET, "/v2/users/@me/animelist?fields=list_status&status=watching"
        + "&sort=list_updated_at&limit=5", null));
    assertSameShape("userMangaList", request(HttpMethod.GET, "/v2/users/@me/mangalist?sort=list_score"
        + "&fields=list_status%7Bcomments,%20tags%7D&limit=5&offset=0", null));
    assertSameShape("updateMyAnimeList", request(HttpMethod.PATCH, "/v2/anime/967/my_list_status", ANIME_FORM));
    assertSameShape("updateMyMangaList", request(HttpMethod.PATCH, "/v2/manga/401/my_list_status", MANGA_FORM));
    assertSameShape("userMyInfo", request(HttpMethod.GET, "/v2/users/@me", null));
  }

  private JsonObject request(HttpMethod method, String uri, String form) {
    // the web client reads the whole answer itself, and a request the fake never answers fails instead of hanging
    var request = io.vertx.ext.web.client.WebClient.create(vertx).request(method, fake.port(), "127.0.0.1", uri)
        .putHeader("Authorization", "Bearer t").timeout(30_000);
    var sent = form == null ? request.send()
        : request.putHeader("Content-Type", "application/x-www-form-urlencoded").sendBuffer(io.vertx.core.buffer.Buffer.buffer(form));
    var resp = sent.await();
    assertThat(resp.statusCode()).as("the fake's answer to %s %s: %s", method, uri, resp.bodyAsString()).isEqualTo(200);
    return resp.bodyAsJsonObject();
  }

  private static void assertSameShape(String recording, JsonObject fakeAnswer) {
    assertThat(paths(fakeAnswer, "")).as("key paths of the fake's answer vs. MAL's recorded %s", recording)
        .isEqualTo(paths(new JsonObject(recorded(recording)), ""));
  }

  /** Every key path in a JSON tree, array elements folded into "[]" (so "data[].list_status.status"). */
  private static Set<String> paths(Object node, String prefix) {
    Set<String> out = new TreeSet<>();
    if (node instanceof JsonObject o) {
      for (String key : o.fieldNames()) {
        String p = prefix.isEmpty() ? key : prefix + "." + key;
        out.add(p);
        out.addAll(paths(o.getValue(key), p));
      }
    } else if (node instanceof JsonArray a) {
      for (Object element : a) out.addAll(paths(element, prefix + "[]"));
    }
    return out;
  }
}
