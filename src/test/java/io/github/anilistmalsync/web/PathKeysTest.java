package io.github.anilistmalsync.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.config.AppConfig;
import io.github.anilistmalsync.config.ConfigProblem;
import io.github.anilistmalsync.config.ConfigValidator;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Path keys stay inside the data directory, and nothing in it is served as a static asset (issue 14, item 3). */
@ExtendWith(VertxExtension.class)
class PathKeysTest {
  @TempDir Path tmp;

  static List<String> tokenFileProblems(Path dataDir, String tokenFile) {
    JsonObject json = new JsonObject().put(AppConfig.DATA_DIR, dataDir.toString()).put("token_file_path", tokenFile);
    return ConfigValidator.values(AppConfig.of(json)).stream()
        .filter(p -> p.key().equals("token_file_path")).map(ConfigProblem::message).toList();
  }

  @Test
  void aTokenFilePathThatEscapesTheDataDirectoryIsAProblemNamingTheKey() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.createSymbolicLink(data.resolve("out"), elsewhere);
    for (String escaping : List.of("../webroot/style.css", "../../tokens.json", "sub/../../x.json",
        elsewhere.resolve("tokens.json").toString(), "/etc/tokens.json", "out/tokens.json", ".")) {
      assertThat(tokenFileProblems(data, escaping)).as(escaping).hasSize(1);
    }
    for (String inside : List.of("tokens.json", "sub/tokens.json", "./tokens.json", data.resolve("t.json").toString())) {
      assertThat(tokenFileProblems(data, inside)).as(inside).isEmpty();
    }
  }

  @Test
  void aFileInsideTheDataDirectoryIsNeverServedEvenWhenTheDataDirectoryIsUnderWebroot(Vertx vertx) throws Exception {
    Path webroot = Path.of(WebVerticle.STATIC_ROOT);
    Files.createDirectories(webroot);
    Path data = Files.createTempDirectory(webroot, "data-under-webroot-");
    try {
      Files.writeString(data.resolve("tokens.json"), "{\"anilist\":{\"access_token\":\"secret-token-value\"}}");
      JsonObject conf = new JsonObject().put(AppConfig.DATA_DIR, data.toString())
          .put("web", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("password", WebVerticleTest.PASSWORD));
      WebVerticle web = new WebVerticle(WebVerticleTest.FAST);
      vertx.deployVerticle(web, new DeploymentOptions().setConfig(conf)).await();
      WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(web.actualPort()).setFollowRedirects(false));
      HttpResponse<Buffer> page = client.get("/login").send().await();
      String loginCookie = DashboardClient.sessionCookie(page);
      HttpResponse<Buffer> r = client.post("/login").putHeader("Cookie", loginCookie).sendForm(MultiMap
          .caseInsensitiveMultiMap().add("_csrf", DashboardClient.csrf(page.bodyAsString()))
          .add("password", WebVerticleTest.PASSWORD)).await();
      String cookie = DashboardClient.sessionCookie(r);
      String name = data.getFileName().toString();
      for (String path : List.of("/" + name + "/tokens.json", "/" + name + "/" + LoginPages.PASSWORD_HASH_FILE)) {
        HttpResponse<Buffer> served = client.get(path).putHeader("Cookie", cookie).send().await();
        assertThat(served.statusCode()).as(path).isEqualTo(404);
        assertThat(served.bodyAsString()).doesNotContain("secret-token-value").doesNotContain("pbkdf2");
      }
      assertThat(client.get("/style.css").send().await().statusCode()).isEqualTo(200);
    } finally {
      try (Stream<Path> all = Files.walk(data)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
