package io.github.anilistmalsync.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class ConfigLoaderTest {

  private static ConfigLoader.Result load(Vertx vertx, Path dir, String yaml, Map<String, String> env, JsonObject flags) throws Exception {
    Path file = TestConfigs.write(dir, yaml);
    return ConfigLoader.load(vertx, new ConfigLoader.Sources(file, dir, flags, env)).await();
  }

  private static List<String> problemsOf(ConfigLoader.Result r) {
    return r.problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void aMissingFileIsCreatedFromTheTemplateAndTheKeysToFillAreNamed(Vertx vertx, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub/config.yaml");
    assertThat(ConfigLoader.createFromTemplateIfMissing(file)).isTrue();
    assertThat(Files.readString(file)).contains("client_id: \"YOUR_ANILIST_CLIENT_ID\"");
    assertThat(ConfigLoader.keysToFill()).containsExactly("anilist.client_id", "anilist.client_secret", "myanimelist.client_id");
    assertThat(ConfigLoader.createFromTemplateIfMissing(file)).isFalse();
    ConfigLoader.Result fresh = ConfigLoader.load(vertx, new ConfigLoader.Sources(file, dir, null, Map.of())).await();
    assertThat(problemsOf(fresh)).contains(
        "anilist.client_id: still the placeholder from the example: replace it with your own value",
        "myanimelist.client_id: still the placeholder from the example: replace it with your own value");
  }

  @Test
  void aValidFileGivesEveryKeyWithDefaults(Vertx vertx, @TempDir Path dir) throws Exception {
    ConfigLoader.Result r = load(vertx, dir, TestConfigs.VALID, Map.of(), null);
    assertThat(r.problems()).isEmpty();
    AppConfig c = r.config();
    assertThat(c.integer("sync.interval")).isEqualTo(30);
    assertThat(c.string("oauth.redirect_uri")).isEqualTo("http://localhost:18080/callback");
    assertThat(c.string("anilist.api_url")).isEqualTo("https://graphql.anilist.co");
    assertThat(c.tokenFile()).isEqualTo(dir.resolve("tokens.json"));
    assertThat(c.types()).hasSize(2);
  }

  @Test
  void everyProblemIsReportedAtOnceWithItsKey(Vertx vertx, @TempDir Path dir) throws Exception {
    String yaml = """
        anilist:
          client_secret: "s3cret-value-that-must-not-leak"
          api_url: "not a url"
        myanimelist:
          client_id: "abcd"
        oauth:
          port: 70000
        sync:
          mode: sideways
          interval: 0
          intervall: 5
          dry_run: perhaps
        web:
          prot: 8080
        """;
    ConfigLoader.Result r = load(vertx, dir, yaml, Map.of(), null);
    assertThat(problemsOf(r)).containsExactlyInAnyOrder(
        "sync.intervall: unknown key (did you mean sync.interval?)",
        "web.prot: unknown key (did you mean web.port?)",
        "oauth.port: port 70000 is out of range (1-65535)",
        "anilist.client_id: missing: set it in the config file or with ANILIST_CLIENT_ID",
        "anilist.api_url: 'not a url' is not an http(s) URL",
        "sync.mode: 'sideways' is not one of the allowed values: bidirectional, anilist-to-mal, mal-to-anilist",
        "sync.interval: must be greater than 0 (it is 0)",
        "sync.dry_run: 'perhaps' is not true or false");
    assertThat(r.problems()).noneMatch(p -> p.message().contains("s3cret"));
  }

  @Test
  void liveSecondsIsOffOrBetween15And3600(Vertx vertx, @TempDir Path dir) throws Exception {
    for (String ok : new String[] {"0", "15", "60", "3600"}) {
      assertThat(load(vertx, dir, TestConfigs.VALID, Map.of("SYNC_LIVE_SECONDS", ok), null).problems()).as(ok).isEmpty();
    }
    assertThat(problemsOf(load(vertx, dir, TestConfigs.VALID, Map.of("SYNC_LIVE_SECONDS", "5"), null))).singleElement().asString()
        .isEqualTo("sync.live_seconds: must be 0 (off) or between 15 and 3600 seconds (it is 5)");
    assertThat(problemsOf(load(vertx, dir, TestConfigs.VALID, Map.of("SYNC_LIVE_SECONDS", "3601"), null))).singleElement().asString()
        .contains("between 15 and 3600");
    assertThat(load(vertx, dir, TestConfigs.VALID, Map.of(), null).config().integer("sync.live_seconds")).isEqualTo(60);
  }

  @Test
  void aSecretsBadValueIsNeverQuoted(Vertx vertx, @TempDir Path dir) throws Exception {
    ConfigLoader.Result r = load(vertx, dir, TestConfigs.VALID.replace("  port: 8099", "  port: 8099\n  password: 12345"), Map.of(), null);
    assertThat(problemsOf(r)).singleElement().asString().isEqualTo("web.password: must be text").doesNotContain("12345");
  }

  @Test
  void theOldMalSectionNameIsAccepted(Vertx vertx, @TempDir Path dir) throws Exception {
    ConfigLoader.Result r = load(vertx, dir, TestConfigs.VALID.replace("myanimelist:", "mal:"), Map.of(), null);
    assertThat(r.problems()).isEmpty();
    assertThat(r.config().string("myanimelist.client_id")).isEqualTo("abcd");
  }

  @Test
  void badYamlIsOneProblemNamingTheFile(Vertx vertx, @TempDir Path dir) throws Exception {
    ConfigLoader.Result r = load(vertx, dir, "sync:\n  mode: [unclosed\n", Map.of(), null);
    assertThat(r.valid()).isFalse();
    assertThat(problemsOf(r)).singleElement().asString().contains("config.yaml is not valid YAML");
  }

  @Test
  void flagBeatsEnvironmentBeatsFileBeatsDefault(Vertx vertx, @TempDir Path dir) throws Exception {
    JsonObject flags = new JsonObject().put("sync", new JsonObject().put("mode", "mal-to-anilist"));
    Map<String, String> env = Map.of("SYNC_MODE", "anilist-to-mal", "SYNC_INTERVAL", "45", "WEB_PORT", "9100",
        "MAL_CLIENT_SECRET", "from-env", "SYNC_DRY_RUN", "true", "SYNC_TYPES", "manga");
    ConfigLoader.Result r = load(vertx, dir, TestConfigs.VALID, env, flags);
    assertThat(r.problems()).isEmpty();
    AppConfig c = r.config();
    assertThat(c.mode()).isEqualTo("mal-to-anilist");              // flag over env over file
    assertThat(c.integer("sync.interval")).isEqualTo(45);          // env over file
    assertThat(c.integer("web.port")).isEqualTo(9100);             // env over file
    assertThat(c.string("myanimelist.client_secret")).isEqualTo("from-env"); // MAL_ stands for MYANIMELIST_
    assertThat(c.dryRun()).isTrue();                                // env over default
    assertThat(c.types()).extracting(Enum::name).containsExactly("MANGA");
    assertThat(c.string("anilist.client_id")).isEqualTo("1234");   // file over default
    assertThat(c.integer("backups.keep")).isEqualTo(10);            // default
  }

  @Test
  void anEmptyEnvironmentVariableLeavesTheFilesValueAsAContainerTemplatePassesThemAll(Vertx vertx, @TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of("ANILIST_CLIENT_ID", "", "SYNC_INTERVAL", " ", "OAUTH_REDIRECT_URI", "");
    ConfigLoader.Result r = load(vertx, dir, TestConfigs.VALID, env, null);
    assertThat(r.problems()).isEmpty();
    assertThat(r.config().string("anilist.client_id")).isEqualTo("1234");
    assertThat(r.config().integer("sync.interval")).isEqualTo(30);
  }

  @Test
  void anAbsentFlagNeverOverridesTheFile(Vertx vertx, @TempDir Path dir) throws Exception {
    io.github.anilistmalsync.cli.RunOptions none = new io.github.anilistmalsync.cli.RunOptions();
    ConfigLoader.Result r = load(vertx, dir, TestConfigs.VALID, Map.of(), none.overrides());
    assertThat(r.config().integer("web.port")).isEqualTo(8099);
    assertThat(r.config().integer("sync.interval")).isEqualTo(30);
    assertThat(r.config().dryRun()).isFalse();
  }

  @Test
  void secretsAreMaskedForBrowsersAndRedactedFromText(Vertx vertx, @TempDir Path dir) throws Exception {
    AppConfig c = load(vertx, dir, TestConfigs.VALID, Map.of(), null).config();
    JsonObject masked = ConfigMasker.mask(c.json());
    assertThat(masked.encode()).doesNotContain("anilist-client-secret-value").contains(ConfigMasker.MASK);
    assertThat(ConfigMasker.redact("token exchange failed for anilist-client-secret-value", c)).doesNotContain("anilist-client-secret-value");
  }

  @Test
  void everyKeyIsDocumentedInTheReadmeWithItsEnvironmentVariable() throws Exception {
    Path readme = Path.of("README.md");
    String text = Files.readString(readme);
    for (ConfigKey key : ConfigSchema.keys()) {
      assertThat(text).as("README documents " + key.path()).contains("`" + key.path() + "`").contains("`" + key.envVar() + "`");
    }
  }
}
