package io.github.anilistmalsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.config.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real jar, run as a separate process the way users run it. */
class CommandLineIT {

  @Test
  void helpListsEveryCommand(@TempDir Path dir) throws Exception {
    try (ServiceProcess p = ServiceProcess.start(dir, Map.of(), "--help")) {
      assertThat(p.waitFor(Duration.ofSeconds(30))).isZero();
      assertThat(p.output()).contains("auth", "run", "demo", "status", "undo", "Exit codes");
    }
  }

  @Test
  void runOnceWithAnInvalidConfigExits2ListingEveryProblem(@TempDir Path dir) throws Exception {
    TestConfigs.write(dir, TestConfigs.VALID.replace("mode: bidirectional", "mode: sideways").replace("interval: 30", "interval: 0"));
    try (ServiceProcess p = ServiceProcess.start(dir, Map.of(), "run", "--once", "--data-dir", dir.toString())) {
      assertThat(p.waitFor(Duration.ofSeconds(60))).isEqualTo(2);
      assertThat(p.output()).contains("sync.mode: 'sideways' is not one of the allowed values", "sync.interval: must be greater than 0")
          .doesNotContain("anilist-client-secret-value");
    }
  }

  @Test
  void aFirstRunCreatesTheConfigAndNamesTheKeysToFill(@TempDir Path dir) throws Exception {
    try (ServiceProcess p = ServiceProcess.start(dir, Map.of(), "run", "--once", "--data-dir", dir.toString())) {
      assertThat(p.waitFor(Duration.ofSeconds(60))).isEqualTo(2);
      assertThat(Files.exists(dir.resolve("config.yaml"))).isTrue();
      assertThat(p.output()).contains("Fill in these keys", "anilist.client_id", "anilist.client_secret", "myanimelist.client_id");
    }
  }

  @Test
  void sigtermStopsTheServiceCleanly(@TempDir Path dir) throws Exception {
    TestConfigs.write(dir, TestConfigs.VALID);
    try (ServiceProcess p = ServiceProcess.start(dir, Map.of("ANILIST_CLIENT_SECRET", "env-secret-never-printed"),
        "run", "--no-web-ui", "--data-dir", dir.toString())) {
      assertThat(p.awaitLine("service started", Duration.ofSeconds(60))).as(p.output()).isTrue();
      p.terminate();
      assertThat(p.waitFor(Duration.ofSeconds(20))).isZero();
      assertThat(p.output()).contains("stopping", "stopped").doesNotContain("env-secret-never-printed", "anilist-client-secret-value");
    }
  }

  @Test
  void aBusyPortExitsNonZeroNamingThePortAndItsKey(@TempDir Path dir) throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      TestConfigs.write(dir, TestConfigs.VALID);
      int webPort;
      try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
        webPort = free.getLocalPort();
      }
      try (ServiceProcess p = ServiceProcess.start(dir, Map.of("OAUTH_PORT", String.valueOf(port), "WEB_HOST", "127.0.0.1",
          "WEB_PORT", String.valueOf(webPort)), "run", "--data-dir", dir.toString())) {
        assertThat(p.waitFor(Duration.ofSeconds(60))).isNotZero();
        assertThat(p.output()).contains("port " + port + " (`oauth.port`) is already in use", "OAUTH_PORT");
      }
    }
  }

  @Test
  void demoOnceSignsInSyncsOncePrintsTheSummaryAndExits0(@TempDir Path dir) throws Exception {
    int oauthPort;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      oauthPort = free.getLocalPort();
    }
    try (ServiceProcess p = ServiceProcess.start(dir, Map.of("OAUTH_PORT", String.valueOf(oauthPort)), "demo", "--once",
        "--data-dir", dir.toString())) {
      assertThat(p.waitFor(Duration.ofSeconds(120))).as(p.output()).isZero();
      assertThat(p.output()).contains("signed in to anilist", "signed in to mal").containsPattern("Sync \\S+: ok")
          .containsPattern("run \\S+: ok; anime: \\d+ created");
      // piped, as here: no progress line (it is rewritten with carriage returns on a terminal only)
      assertThat(p.output()).doesNotContain("\r").doesNotContainPattern("(fetch|plan|apply) (anime|manga) \\d+/\\d+");
    }
  }

  @Test
  void whileTheConfigIsUnfilledHealthLiveAnswersAndThePageSaysWhatIsMissing(@TempDir Path dir) throws Exception {
    int webPort;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      webPort = free.getLocalPort();
    }
    try (ServiceProcess p = ServiceProcess.start(dir, Map.of("WEB_HOST", "127.0.0.1", "WEB_PORT", String.valueOf(webPort)),
        "run", "--data-dir", dir.toString())) {
      assertThat(p.awaitLine("health/live answers meanwhile", Duration.ofSeconds(60))).as(p.output()).isTrue();
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      var live = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + webPort + "/health/live")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(live.body()).contains("\"waitingForConfig\":true");
      var page = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + webPort + "/")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(503);
      assertThat(page.body()).contains("anilist.client_id");
      p.terminate();
      assertThat(p.waitFor(Duration.ofSeconds(20))).isZero();
    }
  }
}
