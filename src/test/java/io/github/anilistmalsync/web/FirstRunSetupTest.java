package io.github.anilistmalsync.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.config.ConfigLoader;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The first-run setup page over HTTP, on the example config a first run creates: who gets the form, what a save writes. */
@ExtendWith(VertxExtension.class)
class FirstRunSetupTest {
  private static final String CODE = "the-one-time-code";
  private static final String PASSWORD = "correct horse battery";
  private static final String SECRET = "anilist-secret-typed-once";

  private Path dir;
  private Path file;
  private WebClient client;
  private final AtomicInteger saves = new AtomicInteger();

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) throws Exception {
    this.dir = dir;
    file = dir.resolve("config.yaml");
    ConfigLoader.createFromTemplateIfMissing(file);
    Router router = Router.router(vertx);
    new FirstRunSetup(vertx, new ConfigLoader.Sources(file, dir, null, Map.of()), CODE, saves::incrementAndGet).register(router);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()));
  }

  private MultiMap form(String code, String password) {
    return MultiMap.caseInsensitiveMultiMap().add("code", code).add("password", password).add("password2", password)
        .add("redirect_uri", "https://sync.example.org/oauth/callback")
        .add("anilist.client_id", "ani-id").add("anilist.client_secret", SECRET)
        .add("myanimelist.client_id", "mal-id").add("myanimelist.client_secret", "");
  }

  private HttpResponse<Buffer> save(MultiMap form) {
    return client.post("/setup").putHeader("Accept", "application/json").putHeader("Host", "sync.example.org")
        .putHeader("X-Forwarded-Proto", "https").sendForm(form).await();
  }

  @Test
  void withoutTheCodeThePageHasNoFormAndASaveIsRefusedLeavingTheFileAlone() throws Exception {
    String before = Files.readString(file);
    for (String path : new String[] {"/setup", "/setup?code=", "/setup?code=guess"}) {
      String page = client.get(path).send().await().bodyAsString();
      assertThat(page).as(path).doesNotContain("<form").doesNotContain("<input").contains("Set up in your browser:");
    }
    HttpResponse<Buffer> refused = save(form("guess", PASSWORD));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(Files.readString(file)).isEqualTo(before);
    assertThat(Files.exists(dir.resolve("web-password.hash"))).isFalse();
    assertThat(saves).hasValue(0);
  }

  @Test
  void behindAProxyTheRedirectUriIsTheProxysAddressAndASaveWritesTheClientsAndOnlyAHashOfThePassword(Vertx vertx) throws Exception {
    String page = client.get("/setup?code=" + CODE).putHeader("Host", "10.0.0.5:8080").putHeader("X-Forwarded-Proto", "https")
        .putHeader("X-Forwarded-Host", "sync.example.org").send().await().bodyAsString();
    assertThat(page).contains("value=\"https://sync.example.org/oauth/callback\"").contains("https://anilist.co/settings/developer")
        .contains("https://myanimelist.net/apiconfig");

    HttpResponse<Buffer> saved = save(form(CODE, PASSWORD));
    assertThat(saved.statusCode()).as(saved.bodyAsString()).isEqualTo(200);
    assertThat(saved.bodyAsJsonObject().getBoolean("saved")).isTrue();
    assertThat(saved.bodyAsString()).doesNotContain(SECRET).doesNotContain(PASSWORD);
    String config = Files.readString(file);
    assertThat(config).contains("redirect_uri: \"https://sync.example.org/oauth/callback\"").contains("client_id: \"ani-id\"")
        .contains(SECRET).contains("dry_run: true").contains("allowed_hosts: \"sync.example.org\"")
        // the example's comments are kept: the save edits the file key by key
        .contains("# Create an API client at https://anilist.co/settings/developer")
        .doesNotContain(PASSWORD);
    assertThat(ConfigLoader.load(vertx, new ConfigLoader.Sources(file, dir, null, Map.of())).await().problems()).isEmpty();
    assertThat(PasswordHasher.verify(PASSWORD, Files.readString(dir.resolve("web-password.hash")).trim())).isTrue();
    assertThat(saves).hasValue(1);
    // the code is spent: the form is gone, and a second save is refused
    assertThat(client.get("/setup?code=" + CODE).send().await().bodyAsString()).doesNotContain("<form");
    assertThat(save(form(CODE, "another password")).statusCode()).isEqualTo(403);
  }

  @Test
  void withoutJavaScriptTheFormPostAnswersWithASavedPageThatLeadsToSignInAndBackToTheSetup() throws Exception {
    // a browser's own form post: no Accept: application/json, the page itself is the answer
    HttpResponse<Buffer> saved = client.post("/setup").putHeader("Host", "sync.example.org").putHeader("X-Forwarded-Proto", "https")
        .sendForm(form(CODE, PASSWORD)).await();
    assertThat(saved.statusCode()).isEqualTo(200);
    assertThat(saved.getHeader("Content-Type")).startsWith("text/html");
    String page = saved.bodyAsString();
    assertThat(page).contains("Saved config.yaml.").contains("<a href=\"/login\">sign in to the dashboard</a>")
        .contains("<a href=\"/setup\">/setup</a>").doesNotContain("<form").doesNotContain("<input")
        .doesNotContain(SECRET).doesNotContain(PASSWORD);
    assertThat(Files.readString(file)).contains("client_id: \"ani-id\"").contains("dry_run: true");
    // the setup records that the dry run is its own, until the first sync is approved
    assertThat(dir.resolve(SetupPages.UNAPPROVED_FILE)).exists();
    assertThat(saves).hasValue(1);
  }

  @Test
  void aRefusedSaveNamesEveryProblemAndEchoesNoSecret() throws Exception {
    String before = Files.readString(file);
    MultiMap form = form(CODE, "short").set("password2", "shorter").set("myanimelist.client_id", "")
        .set("redirect_uri", "https://sync.example.org/callback");
    HttpResponse<Buffer> refused = save(form);
    assertThat(refused.statusCode()).isEqualTo(400);
    JsonObject body = refused.bodyAsJsonObject();
    assertThat(body.getBoolean("saved")).isFalse();
    assertThat(body.getJsonArray("problems").encode()).contains("at least 8 characters").contains("MyAnimeList API client")
        .contains("ending in /oauth/callback");
    assertThat(refused.bodyAsString()).doesNotContain(SECRET);
    // as a page (no script): the form again, with the problems, the typed id kept and no secret in it
    String page = client.post("/setup").sendForm(form).await().bodyAsString();
    assertThat(page).contains("<form").contains("at least 8 characters").contains("value=\"ani-id\"").doesNotContain(SECRET);
    assertThat(Files.readString(file)).isEqualTo(before);
    assertThat(dir.resolve(SetupPages.UNAPPROVED_FILE)).doesNotExist();
    assertThat(saves).hasValue(0);
  }
}
