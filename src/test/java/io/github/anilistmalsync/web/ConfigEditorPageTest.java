package io.github.anilistmalsync.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.MainVerticle;
import io.github.anilistmalsync.bus.Addresses;
import io.github.anilistmalsync.config.ConfigKey;
import io.github.anilistmalsync.config.ConfigLoader;
import io.github.anilistmalsync.config.ConfigMasker;
import io.github.anilistmalsync.config.ConfigSchema;
import io.github.anilistmalsync.config.ConfigText;
import io.github.anilistmalsync.config.TestConfigs;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** The settings form and raw editor over HTTP, against the whole service (it owns the file and its watcher). */
@ExtendWith(VertxExtension.class)
class ConfigEditorPageTest {
  private static final String PASSWORD = "editor test password";
  private static final String SECRET = "anilist-client-secret-value";
  private static final String MAL_SECRET = "mal-client-secret-value-9";
  private static final String API_TOKEN = "api-token-for-scripts-0123";
  private static final String HOOK = "https://hooks.example.net/hook-secret-token-777";
  private static final List<String> SECRETS = List.of(SECRET, MAL_SECRET, PASSWORD, API_TOKEN, HOOK, "hook-secret-token-777");
  private static final String S = ConfigMasker.MASK;

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
          client_secret: "%s"
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
        notifications:
          webhooks:
            - url: "%s"
              format: json
        """.formatted(SECRET, MAL_SECRET, port, PASSWORD, API_TOKEN, TestConfigs.freePort(), HOOK);
    file = TestConfigs.write(dir, original);
    ConfigLoader.Sources sources = new ConfigLoader.Sources(file, dir, new JsonObject(), Map.of());
    vertx.deployVerticle(new MainVerticle(sources, new MainVerticle.Launch(true, false, true))).await();
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setFollowRedirects(false));
    login();
  }

  private void login() {
    DashboardClient.Browser b = DashboardClient.login(client, PASSWORD);
    cookie = b.cookie();
    csrf = b.csrf();
  }

  private HttpResponse<Buffer> save(String yaml) {
    return save(yaml, null);
  }

  private HttpResponse<Buffer> save(String yaml, String password) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("_csrf", csrf).add("yaml", yaml);
    if (password != null) form.add("password", password);
    return client.post("/config").putHeader("Cookie", cookie).sendForm(form).await();
  }

  private HttpResponse<Buffer> saveForm(MultiMap fields) {
    return client.post("/config").putHeader("Cookie", cookie).sendForm(MultiMap.caseInsensitiveMultiMap().addAll(fields).add("_csrf", csrf)).await();
  }

  private HttpResponse<Buffer> apiWithToken(JsonObject body) {
    return client.put("/api/config").putHeader("Authorization", "Bearer " + API_TOKEN).sendJsonObject(body).await();
  }

  private HttpResponse<Buffer> apiWithSession(JsonObject body) {
    return client.put("/api/config").putHeader("Cookie", cookie).putHeader("X-CSRF-Token", csrf).sendJsonObject(body).await();
  }

  private String configPage() {
    return client.get("/config").putHeader("Cookie", cookie).send().await().bodyAsString();
  }

  /**
   * Puts the original file back after a trick. A trick that was a legitimate save (retyped secrets, confirmed with the
   * password) may have changed or removed web.password, and a password change ends every session: wait for the
   * watcher to put the original back in force, then log in again if the session ended.
   */
  private void restoreOriginal() throws Exception {
    if (Files.readString(file).equals(original)) return;
    io.vertx.core.Promise<Void> reloaded = io.vertx.core.Promise.promise();
    var consumer = vertx.eventBus().consumer(io.github.anilistmalsync.bus.Addresses.CONFIG_CHANGED, m -> reloaded.tryComplete());
    consumer.completion().await();
    Files.writeString(file, original);
    try {
      reloaded.future().timeout(10, java.util.concurrent.TimeUnit.SECONDS).await();
    } catch (Exception noChangeInForce) {
      // the file in force was the original already (the trick's save changed nothing that is in force)
    }
    consumer.unregister().await();
    vertx.timer(100).await();  // the web verticle ends the sessions on the same event
    if (!configPage().contains("<textarea")) login();
  }

  private JsonObject apiConfig() {
    return client.get("/api/config").putHeader("Cookie", cookie).send().await().bodyAsJsonObject();
  }

  private String shownYaml() {
    return unescape(textarea(configPage()));
  }

  private int intervalInForce() {
    JsonObject status = vertx.eventBus().<JsonObject>request(Addresses.SYNC_STATUS, new JsonObject()).await().body();
    return status.getJsonArray("types").getJsonObject(0).getInteger("intervalMinutes");
  }

  // ---- the raw view ----------------------------------------------------------------------------------------

  @Test
  void theEditorShowsTheFileWithEverySecretMaskedAndItsCommentsKept() {
    String page = configPage();
    String shown = unescape(textarea(page));
    assertThat(shown).contains("# my comment stays").contains("client_id: \"1234\"").contains(S);
    assertThat(unescape(page)).doesNotContain(SECRETS);
    String api = client.get("/api/config").putHeader("Authorization", "Bearer " + API_TOKEN).send().await().bodyAsString();
    assertThat(api).contains("client_secret").doesNotContain(SECRETS);
  }

  @Test
  void theSettingsPageSpeaksInAPersonsWordsAroundTheFile() {
    // the file itself is the user's YAML, in its own keys: the words around it are the page's
    WebPagesTest.speaksInWords("/config", configPage().replaceAll("(?s)<textarea.*?</textarea>", ""));
  }

  @Test
  void anInvalidConfigIsRefusedWithEveryProblemAndTheFileUntouched() throws Exception {
    String bad = shownYaml().replace("mode: bidirectional", "mode: sideways").replace("interval: 30", "interval: -5\n  colour: blue");
    HttpResponse<Buffer> r = save(bad);
    assertThat(r.statusCode()).isEqualTo(422);
    String page = unescape(r.bodyAsString());
    assertThat(page).contains("sync.mode").contains("sync.interval").contains("colour").doesNotContain(SECRETS);
    assertThat(Files.readString(file)).isEqualTo(original);
    assertThat(Files.exists(dir.resolve("config.yaml.bak"))).isFalse();
    assertThat(intervalInForce()).isEqualTo(30);
  }

  @Test
  void aValidConfigIsSavedWithItsSecretsKeptAndTheOldVersionBackedUpAndIsInForceAtOnce() throws Exception {
    HttpResponse<Buffer> r = save(shownYaml().replace("interval: 30", "interval: 45"));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(302);
    String saved = Files.readString(file);
    assertThat(saved).contains("interval: 45").contains(SECRET).contains(PASSWORD).contains(HOOK).contains("# my comment stays");
    assertThat(Files.readString(dir.resolve("config.yaml.bak"))).isEqualTo(original);
    assertThat(intervalInForce()).isEqualTo(45);
    assertThat(configPage()).contains("Saved and in force");
  }

  @Test
  void aSecretTypedIntoARefusedSaveIsNeverShownBackAndTheNextSaveKeepsIt() throws Exception {
    String typed = shownYaml().replaceFirst("client_secret: \"" + Pattern.quote(S) + "\"", "client_secret: \"brand-new-secret-42\"")
        .replace("mode: bidirectional", "mode: sideways");
    HttpResponse<Buffer> refused = save(typed);
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.bodyAsString()).doesNotContain("brand-new-secret-42");
    String again = unescape(textarea(refused.bodyAsString()));
    assertThat(again).contains(ConfigText.MASK_TYPED);
    HttpResponse<Buffer> fixed = save(again.replace("mode: sideways", "mode: bidirectional"));
    assertThat(fixed.statusCode()).isEqualTo(302);
    assertThat(Files.readString(file)).contains("brand-new-secret-42").doesNotContain(SECRET);
  }

  @Test
  void scriptsSaveThroughTheApiAndGetTheProblemsAsJsonWithTheParsersLineAndColumn() throws Exception {
    HttpResponse<Buffer> r = apiWithToken(new JsonObject().put("yaml", "sync:\n  interval: 40\n  mode: [\n"));
    assertThat(r.statusCode()).isEqualTo(422);
    String message = r.bodyAsJsonObject().getJsonArray("problems").getJsonObject(0).getString("message");
    assertThat(message).contains("YAML").containsPattern("line \\d+, column \\d+");
    assertThat(Files.readString(file)).isEqualTo(original);
    HttpResponse<Buffer> noCsrf = client.post("/config").putHeader("Cookie", cookie)
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("yaml", "sync:\n  interval: 50\n")).await();
    assertThat(noCsrf.statusCode()).isEqualTo(403);
    assertThat(Files.readString(file)).isEqualTo(original);
    HttpResponse<Buffer> ok = apiWithToken(new JsonObject().put("values", new JsonObject().put("sync.interval", 50)));
    assertThat(ok.statusCode()).as(ok.bodyAsString()).isEqualTo(200);
    assertThat(intervalInForce()).isEqualTo(50);
  }

  // ---- tricks: no secret ever leaves, none moves ----------------------------------------------------------

  /** Texts that try to make the editor copy a stored secret into a visible key, or echo one. */
  private static List<String> tricks() {
    return List.of(
        // duplicate anchors: the exploit of the red team
        "anilist:\n  client_id: \"1234\"\n  username: &a \"decoy\"\n  api_url: &a \"" + S + "\"\n  client_secret: *a\n",
        "anilist:\n  client_id: \"1234\"\n  client_secret: &s \"" + S + "\"\n  username: *s\n",
        "anilist:\n  client_id: \"1234\"\n  client_secret: &s \"" + S + "\"\nmyanimelist:\n  client_id: abcd\n  username: *s\n",
        "sync: &x\n  mode: bidirectional\nanilist:\n  client_id: \"1234\"\n  client_secret: *x\n",
        // merge keys, with and without an alias
        "base: &b {client_secret: \"" + S + "\"}\nanilist:\n  <<: *b\n  client_id: \"1234\"\n",
        "anilist:\n  <<: {client_secret: \"" + S + "\", username: \"" + S + "\"}\n  client_id: \"1234\"\n",
        "anilist:\n  client_id: \"1234\"\n  <<: {username: \"typed-under-merge\"}\n  client_secret: \"" + S + "\"\n",
        // explicit tags
        "anilist:\n  client_id: \"1234\"\n  client_secret: !!str \"" + S + "\"\n",
        "anilist:\n  client_id: \"1234\"\n  client_secret: \"" + S + "\"\n  username: !!binary aGVsbG8=\n",
        "!!map\nanilist:\n  client_secret: \"" + S + "\"\n",
        // flow maps and JSON
        "anilist: {client_id: \"1234\", client_secret: \"" + S + "\", username: \"" + S + "\"}\n",
        "{\"anilist\": {\"client_id\": \"1234\", \"client_secret\": \"" + S + "\", \"api_url\": \"" + S + "\"}}\n",
        "anilist: {client_id: \"1234\", client_secret: \"" + S + "\"}\nmyanimelist: {client_id: abcd, client_secret: \"" + S + "\"}\n",
        // several documents
        "anilist:\n  client_secret: \"" + S + "\"\n---\nanilist:\n  username: \"" + S + "\"\n",
        "---\nanilist:\n  client_id: \"1234\"\n...\n---\nanilist:\n  client_secret: \"" + S + "\"\n",
        // the placeholder at paths that are not secrets
        "anilist:\n  client_id: \"1234\"\n  username: \"" + S + "\"\n",
        "anilist:\n  client_id: \"1234\"\n  api_url: \"" + S + "\"\n",
        "anilist:\n  client_id: \"1234\"\n  token_url: \"https://x.example/" + S + "\"\n",
        "sync:\n  mode: \"" + S + "\"\n",
        "sync:\n  types: [\"" + S + "\"]\n",
        "anilist:\n  client_id: \"1234\"\n  note: \"" + S + "\"\n",
        "anilist:\n  client_id: \"1234\"\n  \"" + S + "\": x\n",
        "anilist:\n  client_id: \"1234\"\n  username: |\n    " + S + "\n",
        "anilist:\n  client_id: \"1234\"\n  username: \"" + ConfigText.MASK_TYPED + "\"\n",
        "token_file_path: \"" + S + "\"\n",
        "notifications:\n  webhooks:\n    - url: \"" + S + "\"\n      format: \"" + S + "\"\n",
        "notifications:\n  webhooks:\n    - url: \"https://evil.example/in\"\n    - url: \"" + S + "\"\n      events: [\"" + S + "\"]\n",
        // the old section name beside the new one, duplicate keys, complex keys
        "mal:\n  client_secret: \"" + S + "\"\nmyanimelist:\n  username: \"" + S + "\"\n",
        "anilist:\n  client_id: \"1234\"\n  client_secret: \"" + S + "\"\n  client_secret: \"other\"\n",
        "? [anilist]\n: {client_secret: \"" + S + "\"}\n",
        "web:\n  password: \"" + S + "\"\n  api_token: \"" + S + "\"\n  host: \"" + S + "\"\n");
  }

  @Test
  void noYamlTrickThroughThePageOrTheApiEverShowsOrMovesASecret() throws Exception {
    List<Function<String, HttpResponse<Buffer>>> channels = List.of(
        yaml -> save(yaml, PASSWORD),
        yaml -> save(yaml),
        yaml -> apiWithSession(new JsonObject().put("yaml", yaml).put("password", PASSWORD)),
        yaml -> apiWithToken(new JsonObject().put("yaml", yaml)));
    for (String trick : tricks()) {
      // each trick also with the rest of the file kept, as a user editing the shown text would send it
      for (String text : List.of(trick, shownYaml().replace("# my comment stays", "# my comment stays\n" + trick.replace("\n", "\n#")) + trick)) {
        for (Function<String, HttpResponse<Buffer>> channel : channels) {
          HttpResponse<Buffer> answer = channel.apply(text);
          assertThat(answer.statusCode()).as(text).isLessThan(500);
          assertNoSecretIn(answer.bodyAsString(), text);
          assertSecretsStayed(text);
          restoreOriginal();
        }
      }
    }
    for (Map.Entry<String, Object> value : Map.<String, Object>of("anilist.username", S, "anilist.api_url", S, "sync.mode", S,
        "anilist.client_secret", S, "web.password", new JsonArray().add(S), "sync.types", new JsonArray().add(S)).entrySet()) {
      JsonObject values = new JsonObject().put(value.getKey(), value.getValue());
      for (HttpResponse<Buffer> answer : List.of(
          apiWithSession(new JsonObject().put("values", values).put("password", PASSWORD)),
          apiWithToken(new JsonObject().put("values", values)),
          saveForm(MultiMap.caseInsensitiveMultiMap().add(value.getKey(), String.valueOf(value.getValue())).add("password", PASSWORD)))) {
        assertNoSecretIn(answer.bodyAsString(), value.toString());
        assertSecretsStayed(value.toString());
      }
    }
    assertNoSecretIn(configPage(), "the page after");
    assertNoSecretIn(apiConfig().encode(), "the API after");
  }

  private static void assertNoSecretIn(String answer, String what) {
    assertThat(unescape(answer)).as("answer to " + what).doesNotContain(SECRETS);
  }

  /**
   * Every secret of the file is the original one where it is still there (a raw save may leave a key out, which
   * removes it), and no other key of the file holds one.
   */
  private void assertSecretsStayed(String what) throws Exception {
    Map<String, String> leaves = leaves(new Yaml().load(Files.readString(file)), "");
    Map<String, String> before = leaves(new Yaml().load(original), "");
    before.forEach((path, value) -> {
      if (ConfigMasker.isSecretPath(path) && leaves.containsKey(path)) assertThat(leaves.get(path)).as(path + " after " + what).isEqualTo(value);
    });
    leaves.forEach((path, value) -> {
      if (!ConfigMasker.isSecretPath(path)) assertThat(value).as(path + " after " + what).doesNotContain(SECRETS).doesNotContain(S);
    });
  }

  private static Map<String, String> leaves(Object node, String path) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> out.putAll(leaves(v, path.isEmpty() ? ("mal".equals(k) ? "myanimelist" : String.valueOf(k)) : path + "." + k)));
      map.keySet().forEach(k -> out.put(path + ".<key>" + k, String.valueOf(k)));
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) out.putAll(leaves(list.get(i), path + "[" + i + "]"));
    } else {
      out.put(path, String.valueOf(node));
    }
    return out;
  }

  // ---- where secrets go needs the password ---------------------------------------------------------------

  @Test
  void aChangedApiAddressNeedsThePasswordReenteredAndIsInForceOnlyAfterARestart() throws Exception {
    String moved = shownYaml().replace("client_id: \"1234\"", "client_id: \"1234\"\n  api_url: https://evil.example.net/graphql");
    HttpResponse<Buffer> without = save(moved);
    assertThat(without.statusCode()).isEqualTo(403);
    assertThat(unescape(without.bodyAsString())).contains("anilist.api_url").contains("https://graphql.anilist.co")
        .contains("https://evil.example.net/graphql").contains("re-enter the dashboard password");
    HttpResponse<Buffer> wrong = save(moved, "not the password");
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(unescape(wrong.bodyAsString())).contains("the password is wrong");
    assertThat(Files.readString(file)).isEqualTo(original);
    HttpResponse<Buffer> confirmed = save(moved, PASSWORD);
    assertThat(confirmed.statusCode()).isEqualTo(302);
    assertThat(Files.readString(file)).contains("https://evil.example.net/graphql");
    assertThat(unescape(configPage())).contains("anilist.api_url: the service reads those only at start, so they are in force after a restart");
  }

  @Test
  void anApiTokenAloneCanNeverChangeWhereSecretsGo() throws Exception {
    List<JsonObject> moves = List.of(
        new JsonObject().put("yaml", shownYaml().replace("client_id: \"1234\"", "client_id: \"1234\"\n  token_url: https://evil.example.net/t")),
        new JsonObject().put("values", new JsonObject().put("myanimelist.api_url", "https://evil.example.net/v2")),
        new JsonObject().put("values", new JsonObject().put("oauth.redirect_uri", "https://evil.example.net/cb")),
        new JsonObject().put("values", new JsonObject().put("token_file_path", "elsewhere.json")),
        new JsonObject().put("values", new JsonObject().put("web.password", "a password of my own")),
        new JsonObject().put("values", new JsonObject().put("web.api_token", "a token of my own")),
        new JsonObject().put("values", new JsonObject()).put("clear", new JsonArray().add("web.password")),
        new JsonObject().put("values", new JsonObject()).put("webhooks", new JsonArray().add(new JsonObject().put("index", 0).put("url", "https://evil.example.net/h"))),
        new JsonObject().put("yaml", shownYaml().replace("format: json", "format: json\n  - url: https://evil.example.net/h2")));
    for (JsonObject move : moves) {
      HttpResponse<Buffer> r = apiWithToken(move.copy().put("password", PASSWORD));
      assertThat(r.statusCode()).as(move.encode()).isEqualTo(403);
      assertThat(r.bodyAsJsonObject().getString("error")).as(move.encode()).contains("cannot be changed with web.api_token");
      assertThat(Files.readString(file)).as(move.encode()).isEqualTo(original);
      HttpResponse<Buffer> session = apiWithSession(move);
      assertThat(session.statusCode()).as(move.encode()).isEqualTo(403);
      assertThat(Files.readString(file)).isEqualTo(original);
    }
    HttpResponse<Buffer> withPassword = apiWithSession(moves.get(1).copy().put("password", PASSWORD));
    assertThat(withPassword.statusCode()).as(withPassword.bodyAsString()).isEqualTo(200);
    assertThat(withPassword.bodyAsJsonObject().getJsonArray("restartNeeded")).contains("myanimelist.api_url");
    assertThat(Files.readString(file)).contains("https://evil.example.net/v2").contains(SECRET);
  }

  @Test
  void fiveWrongPasswordsInConfigSavesEndTheSession() throws Exception {
    String moved = shownYaml().replace("client_id: \"1234\"", "client_id: \"1234\"\n  api_url: https://evil.example.net/graphql");
    for (int i = 1; i < 5; i++) assertThat(save(moved, "guess " + i).statusCode()).isEqualTo(403);
    HttpResponse<Buffer> fifth = save(moved, "guess 5");
    assertThat(fifth.statusCode()).isEqualTo(302);
    assertThat(fifth.getHeader("Location")).isEqualTo("/login");
    assertThat(client.get("/config").putHeader("Cookie", cookie).send().await().getHeader("Location")).isEqualTo("/login");
    assertThat(save(moved, PASSWORD).getHeader("Location")).as("the old session saves nothing, even with the password").isEqualTo("/login");
    assertThat(Files.readString(file)).isEqualTo(original);
  }

  // ---- an unreadable file ----------------------------------------------------------------------------------

  @Test
  void aFileThatIsNotValidYamlShowsNoSecretOnThePageOrTheApi() throws Exception {
    List<String> broken = List.of(
        original.replace("mode: bidirectional", "mode: [bidirectional"),
        original.replace("client_secret: \"" + SECRET + "\"", "client_secret: \"" + SECRET),
        original.replace("client_secret: \"" + SECRET + "\"", "client_secret: \"" + SECRET.substring(0, 8) + "\n    " + SECRET.substring(8) + "\"\n  bad: [")
            + "\n\tnope",
        original.replace("  password: \"" + PASSWORD + "\"", "  password: |\n    " + PASSWORD + "\n  : x"),
        "anilist: {client_id: \"1234\", client_secret: \"" + SECRET + "\"\nweb:\n  api_token: '" + API_TOKEN + "\n",
        original + "\n---\nweb: {password: \"" + PASSWORD + "\"}\n",
        original.replace("  client_secret: \"" + SECRET + "\"", "  client_secret: &s \"" + SECRET + "\"\n  username: *s"));
    for (String text : broken) {
      Files.writeString(file, text);
      String page = unescape(configPage());
      assertNoSecretIn(page, text);
      assertThat(page).as(text).contains("cannot be edited as a form").containsPattern("line \\d+, column \\d+");
      String api = apiConfig().encode();
      assertNoSecretIn(api, text);
      assertThat(apiConfig().getBoolean("readable")).isFalse();
      assertThat(apiConfig().getJsonObject("unreadable").getInteger("line")).isPositive();
    }
  }

  // ---- the form --------------------------------------------------------------------------------------------

  @Test
  void theFormShowsEveryKeyOfTheSchemaGroupedWithItsDescriptionAndSecretsOnlyAsSetOrNotSet() {
    String page = unescape(configPage());
    for (ConfigKey key : ConfigSchema.keys()) {
      if (key.kind() == ConfigKey.Kind.LIST) {
        assertThat(page).contains("webhook.0.url").contains("webhook.1.url");
        continue;
      }
      assertThat(page).as(key.path()).contains("name=\"" + key.path() + "\"").contains(key.help());
      assertThat(page).contains("id=\"group-" + ConfigSchema.group(key) + "\"");
    }
    assertThat(page).contains("set — type to replace").contains("not set").doesNotContain(SECRETS);
  }

  @Test
  void theFormRoundTripsEveryKeyOfTheSchema() throws Exception {
    List<ConfigKey> keys = new ArrayList<>(ConfigSchema.keys());
    // the password last: once it changes, the new one is what a save must carry
    keys.sort((a, b) -> Boolean.compare(a.path().equals("web.password"), b.path().equals("web.password")));
    for (ConfigKey key : keys) {
      MultiMap form = MultiMap.caseInsensitiveMultiMap().add("password", PASSWORD);
      String value = valueFor(key);
      if (key.kind() == ConfigKey.Kind.LIST) {
        form.add("webhooks.present", "1").add("webhook.0.index", "0").add("webhook.0.format", "json").add("webhook.0.events", "")
            .add("webhook.1.index", "new").add("webhook.1.url", value).add("webhook.1.format", "ntfy").add("webhook.1.events", "run_failed");
      } else {
        form.add(key.path(), value);
      }
      HttpResponse<Buffer> r = saveForm(form);
      assertThat(r.statusCode()).as(key.path() + " = " + value + ": " + unescape(r.bodyAsString())).isEqualTo(302);
      JsonObject shown = apiConfig();
      String page = unescape(configPage());
      assertThat(page).as(key.path()).doesNotContain(SECRETS);
      Object inFile = at(new Yaml().load(Files.readString(file)), key.path());
      if (key.kind() == ConfigKey.Kind.LIST) {
        JsonArray hooks = shown.getJsonArray("webhooks");
        assertThat(hooks).hasSize(2);
        assertThat(hooks.getJsonObject(1).getString("format")).isEqualTo("ntfy");
        assertThat(hooks.getJsonObject(1).getBoolean("urlSet")).isTrue();
        assertThat(shown.encode()).doesNotContain(value);
        assertThat(String.valueOf(inFile)).contains(value).contains(HOOK);
        continue;
      }
      JsonObject field = shown.getJsonArray("fields").stream().map(JsonObject.class::cast)
          .filter(f -> f.getString("key").equals(key.path())).findFirst().orElseThrow();
      if (key.secret()) {
        assertThat(field.getBoolean("set")).as(key.path()).isTrue();
        assertThat(shown.encode()).as(key.path()).doesNotContain(value);
        assertThat(page).doesNotContain(value);
        assertThat(String.valueOf(inFile)).as(key.path()).isEqualTo(value);
      } else {
        String read = field.getValue("value") instanceof JsonArray a ? String.join(",", a.stream().map(String::valueOf).toList())
            : String.valueOf(field.getValue("value"));
        assertThat(read.replaceAll("\\.0$", "")).as(key.path()).isEqualTo(value.replaceAll("\\.0$", ""));
        assertThat(page).as(key.path()).contains(value.contains(",") ? value.split(",")[0] : value);
      }
    }
  }

  /** A valid value for a key that is not its default. */
  private static String valueFor(ConfigKey key) {
    return switch (key.kind()) {
      case URL -> "https://example.org/" + key.path().replace('.', '/');
      case PORT -> String.valueOf(20000 + Math.abs(key.path().hashCode() % 1000));
      case POSITIVE_INT -> "77";
      case NON_NEGATIVE_INT -> "30"; // within every such key's range (sync.live_seconds: 0 or 15-3600)
      case POSITIVE_NUMBER -> "2.5";
      case BOOLEAN -> String.valueOf(!Boolean.TRUE.equals(key.defaultValue()));
      case CHOICE -> key.allowed().stream().filter(a -> !a.equals(key.defaultValue())).findFirst().orElseThrow();
      case CHOICE_LIST -> key.allowed().get(0);
      case PATH -> "other-" + key.path().replace('.', '-') + ".json";
      case LIST -> "https://hooks.example.org/form-typed-token-555";
      default -> key.path().equals("web.host") ? "127.0.0.2" : "value-of-" + key.path().replace('.', '-');
    };
  }

  private static Object at(Object root, String path) {
    Object node = root;
    for (String part : path.split("\\.")) {
      if (!(node instanceof Map<?, ?> map)) return null;
      node = map.get(part);
    }
    return node;
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
