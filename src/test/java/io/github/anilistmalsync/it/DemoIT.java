package io.github.anilistmalsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.anilist.AniListClient;
import io.github.anilistmalsync.client.RequestMetrics;
import io.github.anilistmalsync.client.TokenSource;
import io.github.anilistmalsync.client.Upstream;
import io.github.anilistmalsync.config.TestConfigs;
import io.github.anilistmalsync.mal.MalClient;
import io.github.anilistmalsync.model.AniListEntry;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MediaType;
import io.github.anilistmalsync.model.ScoreFormat;
import io.github.anilistmalsync.sync.core.Agreement;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command: the demo as a separate process, used over HTTP as a person would. */
class DemoIT {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void theDemoSignsInSyncsOnRequestAndBothFakeListsConverge(@TempDir Path dir) throws Exception {
    int webPort = TestConfigs.freePort();
    try (ServiceProcess demo = ServiceProcess.start(dir, Map.of("OAUTH_PORT", String.valueOf(TestConfigs.freePort())),
        "demo", "--port", String.valueOf(webPort), "--host", "127.0.0.1", "--data-dir", dir.toString())) {
      assertThat(demo.awaitLine("Demo dashboard password: ", Duration.ofSeconds(90))).as(demo.output()).isTrue();
      String password = find(demo.output(), "Demo dashboard password: (\\S+)");

      WebClientSession browser = WebClientSession.create(WebClient.create(vertx));
      String base = "http://127.0.0.1:" + webPort;
      String loginPage = browser.getAbs(base + "/login").send().await().bodyAsString();
      String csrf = find(loginPage, "name=\"_csrf\" value=\"([^\"]+)\"");
      HttpResponse<Buffer> login = browser.postAbs(base + "/login")
          .sendForm(io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("_csrf", csrf).add("password", password)).await();
      assertThat(login.statusCode()).isIn(302, 303);
      String dashboard = browser.getAbs(base + "/").send().await().bodyAsString();
      assertThat(dashboard).contains("demo");
      String pageCsrf = find(dashboard, "name=\"csrf-token\" content=\"([^\"]+)\"");

      assertThat(browser.getAbs(base + "/health/live").send().await().statusCode()).isEqualTo(200);
      assertThat(WebClient.create(vertx).getAbs(base + "/metrics").send().await().statusCode()).isEqualTo(401);
      double runsBefore = okRuns(browser.getAbs(base + "/metrics").send().await().bodyAsString());

      HttpResponse<Buffer> triggered = browser.postAbs(base + "/api/sync").putHeader("X-CSRF-Token", pageCsrf)
          .sendJsonObject(new JsonObject()).await();
      assertThat(triggered.statusCode()).as(triggered.bodyAsString()).isEqualTo(202);
      String runId = triggered.bodyAsJsonObject().getString("runId");
      assertThat(demo.awaitLine("run " + runId + ": ok", Duration.ofSeconds(120))).as(demo.output()).isTrue();
      String scrape = browser.getAbs(base + "/metrics").send().await().bodyAsString();
      assertThat(okRuns(scrape)).isEqualTo(runsBefore + 1);
      assertThat(scrape).contains("sync_api_requests_total").contains("sync_token_days_left{service=\"anilist\"}");
      JsonObject health = WebClient.create(vertx).getAbs(base + "/health").send().await().bodyAsJsonObject();
      assertThat(health.encode()).doesNotContain(password).doesNotContain(DemoServersSecret.VALUE);

      JsonObject tokens = new JsonObject(Files.readString(dir.resolve("tokens.json"))).getJsonObject("tokens");
      Matcher fakes = Pattern.compile("fake AniList at (\\S+), fake MyAnimeList at (\\S+)").matcher(demo.output());
      assertThat(fakes.find()).isTrue();
      RequestMetrics metrics = new RequestMetrics(new SimpleMeterRegistry());
      AniListClient aniList = new AniListClient(vertx, new AniListClient.Settings(fakes.group(1), 6000, null, Upstream.Options.defaults()),
          TokenSource.fixed(tokens.getJsonObject("anilist").getString("access_token")), metrics);
      MalClient mal = new MalClient(vertx, new MalClient.Settings(fakes.group(2), 100, Upstream.Options.defaults()),
          TokenSource.fixed(tokens.getJsonObject("mal").getString("access_token")), metrics);
      for (MediaType type : MediaType.values()) {
        List<AniListEntry> a = aniList.list(type).await();
        List<MalEntry> m = mal.list(type).await();
        assertThat(a).isNotEmpty();
        assertThat(m).isNotEmpty();
        assertThat(Agreement.disagreements(a, m)).as(type.name()).isEmpty();
      }
    }
  }

  /** The value of sync_runs_total{result="ok"} in a Prometheus scrape (0 when absent). */
  private static double okRuns(String scrape) {
    Matcher m = Pattern.compile("sync_runs_total\\{result=\"ok\"} ([0-9.E]+)").matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /** The demo's client secret, which no page may show. */
  private static final class DemoServersSecret {
    static final String VALUE = io.github.anilistmalsync.sandbox.DemoServers.CLIENT_SECRET;
  }

  private static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) throw new AssertionError("no match for " + regex + " in:\n" + text);
    return m.group(1);
  }
}
