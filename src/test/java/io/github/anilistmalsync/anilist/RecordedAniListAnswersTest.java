package io.github.anilistmalsync.anilist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.anilistmalsync.bus.FailureKind;
import io.github.anilistmalsync.bus.ServiceException;
import io.github.anilistmalsync.client.RequestMetrics;
import io.github.anilistmalsync.client.TokenSource;
import io.github.anilistmalsync.client.Upstream;
import io.github.anilistmalsync.model.AniListMedia;
import io.github.anilistmalsync.model.AniListMediaId;
import io.github.anilistmalsync.model.MalId;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.sandbox.FakeAniList;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Answers the real AniList gave (recorded by pyanilist, in {@code recorded/anilist}, with their licence), served over
 * HTTP to the real client: each parses as it should. And the fake's answer to the same question has the same shape
 * (the same key paths), so the fake cannot drift from what AniList sends.
 */
@ExtendWith(VertxExtension.class)
class RecordedAniListAnswersTest {
  private Vertx vertx;
  private HttpServer replay;
  private final Deque<JsonObject> answers = new ArrayDeque<>();
  private final List<JsonObject> received = new ArrayList<>();
  private AniListClient client;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    replay = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      received.add(body.toJsonObject());
      JsonObject answer = answers.poll();
      if (answer == null) {
        request.response().setStatusCode(599).end("no recorded answer left");
        return;
      }
      var response = request.response().setStatusCode(answer.getInteger("status"));
      answer.getJsonObject("headers").forEach(h -> response.putHeader(h.getKey(), String.valueOf(h.getValue())));
      response.end(answer.getString("body"));
    })).listen(0, "127.0.0.1").await();
    Upstream.Options quick = Upstream.Options.defaults().withBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).withDeadline(Duration.ofSeconds(5));
    client = new AniListClient(vertx, new AniListClient.Settings("http://127.0.0.1:" + replay.actualPort() + "/", 6000, null, quick),
        TokenSource.fixed("anilist-token"), new RequestMetrics(new SimpleMeterRegistry()));
  }

  @AfterEach
  void stop() {
    client.close();
    replay.close().await();
  }

  static JsonObject recorded(String name) {
    try (InputStream in = RecordedAniListAnswersTest.class.getResourceAsStream("/recorded/anilist/" + name)) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("recorded answer " + name + " is missing", e);
    }
  }

  private static List<MalId> malIdsOf(JsonObject recorded) {
    JsonArray media = new JsonObject(recorded.getString("body")).getJsonObject("data").getJsonObject("Page").getJsonArray("media");
    return media.stream().map(m -> new MalId(((JsonObject) m).getInteger("idMal"))).toList();
  }

  @Test
  void aRecordedLookupPageParsesAndItsHasNextPageIsFollowed() {
    JsonObject first = recorded("page-media-1.json");
    answers.add(first);
    answers.add(recorded("page-media-2.json"));
    List<AniListMedia> found = client.lookUp(MediaType.ANIME, malIdsOf(first)).await();
    assertThat(found).hasSize(5);
    assertThat(found.get(0)).satisfies(m -> {
      assertThat(m.id().value()).isEqualTo(2418);
      assertThat(m.idMal()).isEqualTo(new MalId(2418));
      assertThat(m.format()).isEqualTo("MOVIE");
      assertThat(m.isAdult()).isFalse();
      assertThat(m.displayTitle()).isNotBlank();
    });
    assertThat(received).extracting(r -> r.getJsonObject("variables").getInteger("page")).containsExactly(1, 2);
  }

  @Test
  void aRecorded429IsWaitedOutAndTheRequestSentAgain() {
    JsonObject limited = recorded("rate-limited-429.json");
    // AniList's own Retry-After is a minute; the recorded answer says so, the test shortens only that wait
    limited.getJsonObject("headers").put("Retry-After", "1");
    answers.add(limited);
    answers.add(recorded("page-media-2.json"));
    assertThat(client.lookUp(MediaType.ANIME, List.of(new MalId(1))).await()).isEmpty();
    assertThat(received).hasSize(2);
  }

  @Test
  void aRecordedNotFoundIsReadAsNotFound() {
    answers.add(recorded("media-not-found-404.json"));
    assertThatThrownBy(() -> client.lookUp(MediaType.ANIME, List.of(new MalId(1))).await())
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND));
  }

  @Test
  void theFakesAnswersHaveTheRecordedAnswersShape() {
    FakeAniList fake = new FakeAniList(vertx).rateLimit(1, 60);
    fake.start(0).await();
    try {
      JsonObject page = recorded("page-media-1.json");
      new JsonObject(page.getString("body")).getJsonObject("data").getJsonObject("Page").getJsonArray("media")
          .forEach(m -> fake.addMedia(AniListMedia.fromJson((JsonObject) m)));
      // 60 media for a page of 50, so the fake too says another page follows
      for (int i = 1; i <= 55; i++) {
        fake.addMedia(new AniListMedia(new AniListMediaId(900_000 + i), new MalId(900_000 + i), MediaType.ANIME, "TV", 12, null, null, false, "T", null, null));
      }
      List<Integer> ids = new ArrayList<>(malIdsOf(page).stream().map(MalId::value).toList());
      for (int i = 1; i <= 55; i++) ids.add(900_000 + i);
      WebClient web = WebClient.create(vertx);
      var lookup = web.postAbs(fake.apiUrl()).sendJsonObject(new JsonObject().put("query", AniListQueries.LOOKUP)
          .put("variables", new JsonObject().put("page", 1).put("perPage", 50).put("ids", new JsonArray(ids)).put("type", "ANIME"))).await();
      assertThat(paths(lookup.bodyAsJsonObject())).isEqualTo(paths(new JsonObject(page.getString("body"))));
      assertThat(lookup.bodyAsJsonObject().getJsonObject("data").getJsonObject("Page").getJsonObject("pageInfo").getBoolean("hasNextPage")).isTrue();

      var tooMany = web.postAbs(fake.apiUrl()).sendJsonObject(new JsonObject().put("query", "{ Media(id: 1) { id } }")).await();
      JsonObject limited = recorded("rate-limited-429.json");
      assertThat(tooMany.statusCode()).isEqualTo(429);
      assertThat(tooMany.getHeader("Retry-After")).isNotNull();
      assertThat(paths(tooMany.bodyAsJsonObject())).isEqualTo(paths(new JsonObject(limited.getString("body"))));

      fake.rateLimit(0, 60);
      var missing = web.postAbs(fake.apiUrl()).sendJsonObject(new JsonObject().put("query", "query { Media(id: 0) { id } }")).await();
      JsonObject notFound = recorded("media-not-found-404.json");
      assertThat(missing.statusCode()).isEqualTo(notFound.getInteger("status"));
      assertThat(paths(missing.bodyAsJsonObject())).isEqualTo(paths(new JsonObject(notFound.getString("body"))));
    } finally {
      fake.stop().await();
    }
  }

  /** Every key path of a JSON value, arrays as []: {@code data.Page.media[].title.romaji}. */
  static TreeSet<String> paths(Object json) {
    TreeSet<String> out = new TreeSet<>();
    collect(json, "", out);
    return out;
  }

  private static void collect(Object value, String at, TreeSet<String> out) {
    if (value instanceof JsonObject o) {
      for (Map.Entry<String, Object> e : o) {
        String path = at.isEmpty() ? e.getKey() : at + "." + e.getKey();
        out.add(path);
        collect(e.getValue(), path, out);
      }
    } else if (value instanceof JsonArray a) {
      for (Object item : a) collect(item, at + "[]", out);
    }
  }
}
