package io.github.anilistmalsync.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** config.yaml as a tree: what is refused, where, and what a browser may be shown of a file. */
@SuppressWarnings("unchecked")
class ConfigTextTest {
  private static final String S = ConfigMasker.MASK;

  @Test
  void everyConstructThatLetsOneValueStandInTwoPlacesIsRefusedWithItsLine() {
    Map<String, String> refused = Map.of(
        "a:\n  b: &x 1\n  c: *x\n", "anchor",
        "a: 1\nb: *x\n", "alias",
        "a:\n  <<: {b: 1}\n", "merge key",
        "a:\n  b: !!str 1\n", "tag",
        "a: 1\n---\nb: 2\n", "several YAML documents",
        "a:\n  b: 1\n  b: 2\n", "appears twice",
        "? [a]\n: 1\n", "not a plain name",
        "- a\n- b\n", "mapping of keys");
    refused.forEach((text, why) -> {
      ConfigText.Parsed parsed = ConfigText.parse(text);
      assertThat(parsed.ok()).as(text).isFalse();
      assertThat(parsed.asProblem().message()).as(text).contains(why);
      assertThat(parsed.line()).as(text).isPositive();
    });
  }

  @Test
  void aSyntaxErrorIsReportedWithTheParsersLineAndColumnAndNotTheLinesText() {
    ConfigText.Parsed parsed = ConfigText.parse("anilist:\n  client_id: x\n  client_secret: \"top-secret-1\n");
    assertThat(parsed.ok()).isFalse();
    assertThat(parsed.line()).isPositive();
    assertThat(parsed.column()).isPositive();
    assertThat(parsed.asProblem().message()).contains("line " + parsed.line()).doesNotContain("top-secret-1");
  }

  @Test
  void anEditByPathKeepsTheCommentsAndTheOldSectionName() {
    ConfigText.Doc doc = ConfigText.parse("# top\nmal:\n  client_id: abc # inline\nsync:\n  interval: 30\n").doc();
    doc.set("myanimelist.username", "me");
    doc.set("sync.interval", 45);
    doc.set("web.port", 8081);
    doc.remove("sync.interval");
    String text = doc.text();
    assertThat(text).contains("# top").contains("# inline").contains("username: \"me\"").doesNotContain("myanimelist").contains("port: 8081")
        .doesNotContain("interval");
    assertThat(ConfigText.parse(text).doc().json().getJsonObject("mal").getString("username")).isEqualTo("me");
  }

  @Test
  void commentsAnywhereNeverChangeAValueThroughASave() throws Exception {
    List<String> texts = List.of(
        new String(ConfigTextTest.class.getResourceAsStream("/config.example.yaml").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
        "a: # after the key\n  b: 1\n",
        "a:\n  # before\n  b: 1 # inline\n  # after\n# end\n",
        "list: [a, # in a flow list\n  b]\n",
        "map: {a: 1, # in a flow map\n  b: 2}\n",
        "seq:\n  # head\n  - 1 # one\n  - 2\n\n\n# trailing\n",
        "s: |\n  line one\n  # not a comment\n",
        "q: \"# not a comment\" # a comment\n",
        "# only comments\n",
        "");
    for (String text : texts) {
      ConfigText.Parsed parsed = ConfigText.parse(text);
      assertThat(parsed.ok()).as(text).isTrue();
      Object expected = new org.yaml.snakeyaml.Yaml().load(text);
      JsonObject json = parsed.doc().json();
      assertThat(json).as(text).isEqualTo(expected == null ? new JsonObject() : new JsonObject((Map<String, Object>) expected));
      ConfigText.Doc again = ConfigText.parse(parsed.doc().text()).doc();
      assertThat(again.json()).as(text).isEqualTo(json);
    }
  }

  @Test
  void theRawViewMasksEverySecretByPathAndCutsSecretValuesOutOfComments() {
    String text = "# the old one was top-secret-1\nanilist:\n  client_secret: top-secret-1\n  username: bob\n"
        + "notifications:\n  webhooks:\n    - url: https://h.example/tok-99\n      format: ntfy\n      events: [run_failed]\n";
    String shown = ConfigMasker.maskedView(text, Map.of(), List.of("top-secret-1", "https://h.example/tok-99"));
    assertThat(shown).doesNotContain("top-secret-1").doesNotContain("tok-99").contains("username: bob").contains("format: ntfy")
        .contains("run_failed").contains("client_secret: \"" + S + "\"");
  }

  @Test
  void anUnreadableFileIsShownWithEveryLineNamingASecretMaskedAndItsContinuations() {
    String text = "anilist:\n  client_secret: \"first-half\n    second-half\"\n  username: bob\nweb: {password: pw-secret-value, port: [\n"
        + "  api_token: |\n    block-secret-line\n  host: x\n";
    String shown = ConfigMasker.maskedLines(text, List.of());
    assertThat(shown).doesNotContain("first-half").doesNotContain("second-half").doesNotContain("pw-secret-value")
        .doesNotContain("block-secret-line").contains("username: bob");
    assertThat(shown.lines().count()).isEqualTo(text.lines().count());
  }

  @Test
  void guardedChangesNameEveryUrlPathAndWebhookChangeWithoutAWebhooksToken() {
    JsonObject before = new JsonObject().put("notifications", new JsonObject().put("webhooks",
        new io.vertx.core.json.JsonArray().add(new JsonObject().put("url", "https://h.example/tok-1"))));
    JsonObject after = new JsonObject().put("anilist", new JsonObject().put("token_url", "https://evil.example/t"))
        .put("token_file_path", "x.json").put("web", new JsonObject().put("password", "new-password"))
        .put("notifications", new JsonObject().put("webhooks", new io.vertx.core.json.JsonArray().add(new JsonObject().put("url", "https://h.example/tok-2"))));
    String changes = ConfigChanges.guardedChanges(before, after).encode();
    assertThat(changes).contains("anilist.token_url").contains("token_file_path").contains("web.password").contains("notifications.webhooks[0].url")
        .doesNotContain("tok-1").doesNotContain("tok-2").doesNotContain("new-password");
    assertThat(ConfigChanges.restartChanges(before, after).encode()).contains("anilist.token_url").contains("token_file_path").doesNotContain("web.password");
  }

  @Test
  void problemsOnSecretsOrHoldingASecretsValueAreRedacted() {
    List<ConfigProblem> shown = ConfigMasker.redact(List.of(
        new ConfigProblem("anilist.api_url", "'top-secret-1' is not an http(s) URL"),
        new ConfigProblem("web.password", "odd: top-secret-2"),
        new ConfigProblem("sync.mode", "'x' is not one of the allowed values")), List.of("top-secret-1", "top-secret-2"));
    assertThat(shown.toString()).doesNotContain("top-secret").contains("anilist.api_url").contains("'x' is not one of");
  }
}
