package io.github.anilistmalsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.anilist.AniListClient;
import io.github.anilistmalsync.client.RequestMetrics;
import io.github.anilistmalsync.client.TokenSource;
import io.github.anilistmalsync.client.Upstream;
import io.github.anilistmalsync.config.TestConfigs;
import io.github.anilistmalsync.mal.MalClient;
import io.github.anilistmalsync.model.MalEntry;
import io.github.anilistmalsync.model.MediaType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo (the real service jar on its built-in fake AniList and MAL) and a headless Chromium (Debian's chromium and
 * chromium-driver, which .ci/run installs) to visit it with: what the browser tests share.
 */
final class DemoBrowser implements AutoCloseable {
  final Path dir;
  final ServiceProcess demo;
  final ChromeDriver browser;
  final WebDriverWait wait;
  final String base;
  final String password;
  private final Vertx vertx = Vertx.vertx();

  private DemoBrowser(Path dir, ServiceProcess demo, ChromeDriver browser, String base, String password) {
    this.dir = dir;
    this.demo = demo;
    this.browser = browser;
    this.wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    this.base = base;
    this.password = password;
  }

  /** Starts the demo in a fresh data folder and a browser window of the given size ("1280,1000"); skips without Chromium. */
  static DemoBrowser start(int width, int height) throws Exception {
    Chromium.assumeInstalled();
    Path dir = Files.createTempDirectory("dashboard-it");
    int webPort = TestConfigs.freePort();
    ServiceProcess demo = ServiceProcess.start(dir, Map.of("OAUTH_PORT", String.valueOf(TestConfigs.freePort())),
        "demo", "--port", String.valueOf(webPort), "--host", "127.0.0.1", "--data-dir", dir.toString());
    assertThat(demo.awaitLine("Demo dashboard password: ", Duration.ofSeconds(90))).as(demo.output()).isTrue();
    String password = find(demo.output(), "Demo dashboard password: (\\S+)");

    return new DemoBrowser(dir, demo, Chromium.open(width, height), "http://127.0.0.1:" + webPort, password);
  }

  /** Waits for the demo's first sync that reads both lists (it starts once both services are signed in) to end well. */
  void awaitFirstSync() throws InterruptedException {
    assertThat(demo.awaitLine(": ok; anime:", Duration.ofSeconds(90))).as(demo.output()).isTrue();
  }

  /** Changes the comments of an entry both lists hold, on the fake MAL, as the user would on the MAL site. */
  MalEntry editOnMal(String comments) throws Exception {
    JsonObject tokens = new JsonObject(Files.readString(dir.resolve("tokens.json"))).getJsonObject("tokens");
    String malUrl = find(demo.output(), "fake MyAnimeList at (\\S+)");
    MalClient mal = new MalClient(vertx, new MalClient.Settings(malUrl, 100, Upstream.Options.defaults()),
        TokenSource.fixed(tokens.getJsonObject("mal").getString("access_token")), new RequestMetrics(new SimpleMeterRegistry()));
    String aniListUrl = find(demo.output(), "fake AniList at (\\S+), fake MyAnimeList");
    AniListClient aniList = new AniListClient(vertx, new AniListClient.Settings(aniListUrl, 6000, null, Upstream.Options.defaults()),
        TokenSource.fixed(tokens.getJsonObject("anilist").getString("access_token")), new RequestMetrics(new SimpleMeterRegistry()));
    Set<Integer> paired = new HashSet<>();
    aniList.list(MediaType.ANIME).await().forEach(e -> {
      if (e.media().idMal() != null) paired.add(e.media().idMal().value());
    });
    MalEntry target = mal.list(MediaType.ANIME).await().stream().filter(e -> paired.contains(e.id().value())).findFirst().orElseThrow();
    return mal.save(MediaType.ANIME, target.id(), new JsonObject().put("comments", comments)).await();
  }

  /** Where a test's screenshots go: {@code -Dscreenshot.dir=docs} refreshes the README's. */
  static Path screenshotFile(String name) throws Exception {
    Path out = Path.of(System.getProperty("screenshot.dir", "target")).resolve(name);
    Files.createDirectories(out.toAbsolutePath().getParent());
    return out;
  }

  static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) throw new AssertionError("no match for " + regex + " in:\n" + text);
    return m.group(1);
  }

  @Override
  public void close() {
    browser.quit();
    demo.close();
    vertx.close().await();
  }
}
