package io.github.anilistmalsync.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.MainVerticle;
import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.config.ConfigLoader;
import io.github.anilistmalsync.config.ConfigMasker;
import io.github.anilistmalsync.config.ConfigText;
import io.github.anilistmalsync.config.TestConfigs;
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
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The config editor over HTTP, against the whole service (it owns the file and its watcher). */
@ExtendWith(VertxExtension.class)
class ConfigEditorPageTest {
  private static final String PASSWORD = "editor test password";
  private static final String SECRET = "anilist-client-secret-value";
  private static final String API_TOKEN = "api-token-for-scripts-0123";

  @TempDir Path dir;
  Path file;
  String original;
  WebClient client;
  Vertx vertx;
  String cookie;
  String csrf;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    int port = TestConfigs.freePort();
    original = """
        # my comment stays
        anilist:
          client_id: "1234"
          client_secret: "%s"
        myanimelist:
          client_id: "abcd"
        sync:
          mode: bidirectional
          interval: 30
        web:
          host: 127.0.0.1
          port: %d
          password: "%s"
          api_token: "%s"
        oauth:
          port: %d
        """.formatted(SECRET, port, PASSWORD, API_TOKEN, TestConfigs.freePort());
    file = TestConfigs.write(dir, original);
    ConfigLoader.Sources sources = new ConfigLoader.Sources(file, dir, new JsonObject(), Map.of());
    vertx.deployVerticle(new MainVerticle(sources, new MainVerticle.Launch(true, false, true))).await();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setFollowRedirects(false));
    HttpResponse<Buffer> page = client.get("/login").send().await();
    String loginCookie = WebVerticleTest.sessionCookie(page);
    HttpResponse<Buffer> r = client.post("/login").putHeader("Cookie", loginCookie)
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("_csrf", field(page.bodyAsString(), "_csrf")).add("password", PASSWORD)).await();
    assertThat(r.statusCode()).isEqualTo(302);
    cookie = WebVerticleTest.sessionCookie(r);
    csrf = WebPagesTest.csrf(client.get("/").putHeader("Cookie", cookie).send().await().bodyAsString());
  }

  private HttpResponse<Buffer> save(String yaml, boolean confirm) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("_csrf", csrf).add("yaml", yaml);
    if (confirm) form.add("confirmUrlChanges", "true");
    return client.post("/config").putHeader("Cookie", cookie).sendForm(form).await();
  }

  private String shownYaml() {
    String page = client.get("/config").putHeader("Cookie", cookie).send().await().bodyAsString();
    Matcher m = Pattern.compile("<textarea[^>]*>(.*?)</textarea>", Pattern.DOTALL).matcher(page);
    assertThat(m.find()).isTrue();
    return unescape(m.group(1));
  }

  private int intervalInForce() {
    JsonObject status = vertx.eventBus().<JsonObject>request(Addresses.SYNC_STATUS, new JsonObject()).await().body();
    return status.getJsonArray("types").getJsonObject(0).getInteger("intervalMinutes");
  }

  @Test
  void theEditorShowsTheFileWithEverySecretMaskedAndItsCommentsKept() {
    String shown = shownYaml();
    assertThat(shown).contains("# my comment stays").contains("client_id: \"1234\"").contains(ConfigMasker.MASK)
        .doesNotContain(SECRET).doesNotContain(PASSWORD).doesNotContain(API_TOKEN);
    String api = client.get("/api/config").putHeader("Authorization", "Bearer " + API_TOKEN).send().await().bodyAsString();
    assertThat(api).contains("client_secret").doesNotContain(SECRET).doesNotContain(PASSWORD).doesNotContain(API_TOKEN);
  }

  @Test
  void anInvalidConfigIsRefusedWithEveryProblemAndTheFileUntouched() throws Exception {
    String bad = shownYaml().replace("mode: bidirectional", "mode: sideways").replace("interval: 30", "interval: -5\n  colour: blue");
    HttpResponse<Buffer> r = save(bad, false);
    assertThat(r.statusCode()).isEqualTo(422);
    String page = unescape(r.bodyAsString());
    assertThat(page).contains("sync.mode").contains("sync.interval").contains("colour").doesNotContain(SECRET);
    assertThat(Files.readString(file)).isEqualTo(original);
    assertThat(Files.exists(dir.resolve("config.yaml.bak"))).isFalse();
    assertThat(intervalInForce()).isEqualTo(30);
  }

  @Test
  void aValidConfigIsSavedWithItsSecretsKeptAndTheOldVersionBackedUpAndIsInForceAtOnce() throws Exception {
    HttpResponse<Buffer> r = save(shownYaml().replace("interval: 30", "interval: 45"), false);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(302);
    String saved = Files.readString(file);
    assertThat(saved).contains("interval: 45").contains(SECRET).contains(PASSWORD).contains("# my comment stays");
    assertThat(Files.readString(dir.resolve("config.yaml.bak"))).isEqualTo(original);
    assertThat(intervalInForce()).isEqualTo(45);
    assertThat(client.get("/config").putHeader("Cookie", cookie).send().await().bodyAsString()).contains("Saved and in force");
  }

  @Test
  void aChangedApiAddressIsShownAndSavedOnlyOnceConfirmed() throws Exception {
    String moved = shownYaml().replace("client_id: \"1234\"", "client_id: \"1234\"\n  api_url: https://evil.example.net/graphql");
    HttpResponse<Buffer> first = save(moved, false);
    assertThat(first.statusCode()).isEqualTo(409);
    assertThat(unescape(first.bodyAsString())).contains("anilist.api_url").contains("https://graphql.anilist.co")
        .contains("https://evil.example.net/graphql");
    assertThat(Files.readString(file)).isEqualTo(original);
    HttpResponse<Buffer> confirmed = save(moved, true);
    assertThat(confirmed.statusCode()).isEqualTo(302);
    assertThat(Files.readString(file)).contains("https://evil.example.net/graphql");
  }

  @Test
  void aSecretTypedIntoARefusedSaveIsNeverShownBackAndTheNextSaveKeepsIt() throws Exception {
    String typed = shownYaml().replaceFirst("client_secret: \"" + Pattern.quote(ConfigMasker.MASK) + "\"", "client_secret: \"brand-new-secret-42\"")
        .replace("mode: bidirectional", "mode: sideways");
    HttpResponse<Buffer> refused = save(typed, false);
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.bodyAsString()).doesNotContain("brand-new-secret-42");
    String again = unescape(textarea(refused.bodyAsString()));
    assertThat(again).contains(ConfigText.MASK_TYPED);
    HttpResponse<Buffer> fixed = save(again.replace("mode: sideways", "mode: bidirectional"), false);
    assertThat(fixed.statusCode()).isEqualTo(302);
    assertThat(Files.readString(file)).contains("brand-new-secret-42").doesNotContain(SECRET);
  }

  @Test
  void scriptsSaveThroughTheApiAndGetTheProblemsAsJson() throws Exception {
    HttpResponse<Buffer> r = client.put("/api/config").putHeader("Authorization", "Bearer " + API_TOKEN)
        .sendJsonObject(new JsonObject().put("yaml", "sync:\n  mode: [\n")).await();
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.bodyAsJsonObject().getJsonArray("problems").getJsonObject(0).getString("message")).contains("YAML");
    assertThat(Files.readString(file)).isEqualTo(original);
    HttpResponse<Buffer> noCsrf = client.post("/config").putHeader("Cookie", cookie)
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("yaml", "sync:\n  interval: 50\n")).await();
    assertThat(noCsrf.statusCode()).isEqualTo(403);
    assertThat(Files.readString(file)).isEqualTo(original);
  }

  private static String textarea(String page) {
    Matcher m = Pattern.compile("<textarea[^>]*>(.*?)</textarea>", Pattern.DOTALL).matcher(page);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private static String field(String html, String name) {
    Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]+)\"").matcher(html);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private static String unescape(String html) {
    return html.replace("&quot;", "\"").replace("&#x27;", "'").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
        .replace("&#x3D;", "=").replace("&#x60;", "`").replace("&amp;", "&");
  }
}
