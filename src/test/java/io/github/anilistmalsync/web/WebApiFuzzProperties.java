package io.github.anilistmalsync.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.MainVerticle;
import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.config.ConfigLoader;
import io.github.anilistmalsync.config.TestConfigs;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.model.ScoreFormat;
import io.github.anilistmalsync.sandbox.FakeAniList;
import io.github.anilistmalsync.sandbox.FakeMal;
import io.github.anilistmalsync.sandbox.SampleLists;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random and malformed requests to every JSON API endpoint, with the API token, against the whole service (fakes
 * behind it, lists already in agreement). Every answer must come, be JSON, never be a 5xx, and name what was wrong
 * when it refuses; a refused request writes nothing to either service and leaves the config file as it was.
 */
class WebApiFuzzProperties {
  private static final String API_TOKEN = "fuzzing-api-token-0123456789";
  private static Vertx vertx;
  private static FakeAniList aniList;
  private static FakeMal mal;
  private static WebClient client;
  private static Path dir;
  private static Path configFile;

  /** An endpoint, with {id} standing for a path parameter. */
  record Endpoint(HttpMethod method, String path) {}

  record Call(Endpoint endpoint, String id, String body, boolean json) {}

  @BeforeContainer
  static void start() throws Exception {
    vertx = Vertx.vertx();
    dir = Files.createTempDirectory("api-fuzz");
    aniList = new FakeAniList(vertx).user(new FakeAniList.User(1, "fuzz", ScoreFormat.POINT_10));
    mal = new FakeMal(vertx);
    for (MediaType type : MediaType.values()) {
      for (SampleLists.Item item : SampleLists.generate(type, 40, SampleLists.Mix.realistic(), 5, Instant.now())) {
        SampleLists.seed(item, aniList, mal);
      }
    }
    aniList.start(0).await();
    mal.start(0).await();
    int port = TestConfigs.freePort();
    configFile = TestConfigs.write(dir, """
        anilist:
          client_id: "1234"
          client_secret: "fuzz-anilist-secret"
          api_url: %s
          requests_per_minute: 60000
        myanimelist:
          client_id: "abcd"
          api_url: %s
          requests_per_second: 1000
        web:
          host: 127.0.0.1
          port: %d
          password: "fuzz-password"
          api_token: "%s"
        oauth:
          port: %d
        """.formatted(aniList.apiUrl(), mal.apiUrl(), port, API_TOKEN, TestConfigs.freePort()));
    Files.writeString(dir.resolve("tokens.json"), """
        {"version": 1, "tokens": {"anilist": {"access_token": "a", "expires_at": "2099-01-01T00:00:00Z"},
                                  "mal": {"access_token": "m", "refresh_token": "r", "expires_at": "2099-01-01T00:00:00Z"}}}""");
    ConfigLoader.Sources sources = new ConfigLoader.Sources(configFile, dir, new JsonObject(), Map.of());
    vertx.deployVerticle(new MainVerticle(sources, new MainVerticle.Launch(true, false, true))).await();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setFollowRedirects(false).setIdleTimeout(30));
    JsonObject first = vertx.eventBus().<JsonObject>request(Addresses.SYNC_TRIGGER, new JsonObject().put("wait", true),
        new DeliveryOptions().setSendTimeout(60_000)).await().body();
    assertThat(first.getString("result")).isEqualTo("ok");
  }

  @AfterContainer
  static void stop() {
    vertx.close().await();
  }

  @Property(tries = 300)
  void everyApiRequestIsAnsweredWithJsonAndARefusalChangesNothing(@ForAll("calls") Call call) throws Exception {
    awaitIdle();
    long writesBefore = aniList.writes() + mal.writes();
    String configBefore = Files.readString(configFile);

    String path = call.endpoint().path().replace("{id}", java.net.URLEncoder.encode(call.id(), java.nio.charset.StandardCharsets.UTF_8));
    var request = client.request(call.endpoint().method(), path).putHeader("Authorization", "Bearer " + API_TOKEN).timeout(60_000);
    if (call.json()) request.putHeader("Content-Type", "application/json");
    HttpResponse<Buffer> response = request.sendBuffer(Buffer.buffer(call.body())).await();

    String what = call.endpoint().method() + " " + path + " " + call.body();
    assertThat(response.statusCode()).as(what).isLessThan(500);
    assertThat(response.getHeader("Content-Type")).as(what).startsWith("application/json");
    JsonObject body = new JsonObject(response.bodyAsString());
    if (response.statusCode() >= 400 && response.statusCode() != 409 && response.statusCode() != 422) {
      assertThat(body.getString("error")).as(what).isNotBlank();
    }
    if (response.statusCode() >= 400) {
      awaitIdle();
      assertThat(aniList.writes() + mal.writes()).as("a refused " + what + " wrote nothing").isEqualTo(writesBefore);
      assertThat(Files.readString(configFile)).as("a refused " + what + " left the config file").isEqualTo(configBefore);
    }
    assertThat(response.bodyAsString()).doesNotContain("fuzz-anilist-secret").doesNotContain("fuzz-password");
  }

  /** Waits until no sync runs (an accepted trigger starts one in the background). */
  private static void awaitIdle() throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      JsonObject status = vertx.eventBus().<JsonObject>request(Addresses.SYNC_STATUS, new JsonObject()).await().body();
      if (status.getValue("running") == null) return;
      Thread.sleep(50);
    }
    throw new AssertionError("a sync was still running after 30 s");
  }

  @Provide
  Arbitrary<Call> calls() {
    List<Endpoint> endpoints = List.of(
        new Endpoint(HttpMethod.GET, "/api/status"),
        new Endpoint(HttpMethod.GET, "/api/runs?limit={id}"),
        new Endpoint(HttpMethod.GET, "/api/runs/{id}"),
        new Endpoint(HttpMethod.POST, "/api/runs/{id}/undo"),
        new Endpoint(HttpMethod.POST, "/api/sync"),
        new Endpoint(HttpMethod.POST, "/api/preview/{id}/apply"),
        new Endpoint(HttpMethod.GET, "/api/unmapped"),
        new Endpoint(HttpMethod.POST, "/api/mappings"),
        new Endpoint(HttpMethod.GET, "/api/accounts"),
        new Endpoint(HttpMethod.GET, "/api/config"),
        new Endpoint(HttpMethod.PUT, "/api/config"));
    Arbitrary<String> ids = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.of("", "..", "../../etc/passwd", "%00", "null", "-1", "99999999999999999999", "20261130T000000Z-1234"));
    return Combinators.combine(Arbitraries.of(endpoints), ids, bodies(), Arbitraries.of(true, false)).as(Call::new);
  }

  private static Arbitrary<String> bodies() {
    Arbitrary<Object> scalar = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(30).map(s -> (Object) s),
        Arbitraries.of("ANIME", "manga", "pin", "ignore", "remove", "sideways", "true", "sync:\n  mode: [\n", "anilist:\n  api_url: x\n",
                "anilist:\n  client_secret: &a \"\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022\"\n  username: *a\n",
                "anilist:\n  <<: {client_secret: \"\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022\"}\n",
                "anilist: {client_id: \"1234\", username: \"\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022\"}\n", "a: 1\n---\nb: 2\n",
                "anilist:\n  client_secret: !!binary aGVsbG8=\n", "fuzz-password")
            .map(s -> (Object) s),
        Arbitraries.integers().map(i -> (Object) i),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.just(new JsonArray().add(1).add("x")),
        Arbitraries.just(new JsonObject().put("nested", new JsonObject())));
    Arbitrary<String> keys = Arbitraries.of("type", "dryRun", "force", "action", "malId", "aniListId", "yaml", "values", "password", "clear", "webhooks",
        "runId", "limit", "wait");
    Arbitrary<String> objects = Arbitraries.maps(keys, scalar).ofMaxSize(5).map(m -> {
      JsonObject o = new JsonObject();
      m.forEach(o::put);
      return o.encode();
    });
    Arbitrary<String> malformed = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(60),
        objects.map(s -> s.substring(0, Math.max(0, s.length() / 2))),
        Arbitraries.of("", "null", "[]", "[1,2", "{\"type\":", "\"just a string\"", "42", "{\"yaml\": null}", "\u0000\u0001"));
    return Arbitraries.oneOf(objects, malformed);
  }
}
