package io.github.anilistmalsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.model.MalEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromium-driver, which .ci/run installs), driven
 * as a person would, against the demo: the real service jar on its built-in fake AniList and MAL. The tests share
 * one service and one browser and run in order, as one visit: log in, sync, look at history, preview and apply,
 * pin, edit the config.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {
  private DemoBrowser visit;
  private Path dir;
  private WebDriver browser;
  private WebDriverWait wait;
  private String base;
  private String password;

  @BeforeAll
  void start() throws Exception {
    visit = DemoBrowser.start(1280, 1000);
    dir = visit.dir;
    browser = visit.browser;
    wait = visit.wait;
    base = visit.base;
    password = visit.password;
  }

  @AfterAll
  void stop() {
    if (visit != null) visit.close();
  }

  @Test
  @Order(1)
  void withoutASessionEveryPageSendsToTheLoginAndAWrongPasswordIsRefused() {
    browser.get(base + "/history");
    assertThat(browser.getCurrentUrl()).endsWith("/login");
    browser.findElement(By.name("password")).sendKeys("not the password");
    browser.findElement(By.cssSelector("form button[type=submit]")).click();
    assertThat(browser.getPageSource()).contains("Wrong password");

    browser.findElement(By.name("password")).sendKeys(password);
    browser.findElement(By.cssSelector("form button[type=submit]")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sync-now")));
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Dashboard");
    assertThat(browser.findElement(By.cssSelector(".services")).getText()).contains("AniList: signed in").contains("MyAnimeList: signed in");
  }

  @Test
  @Order(2)
  void requestsWithoutTheCsrfTokenOrWithoutASessionAreRefused() {
    browser.get(base + "/");
    JavascriptExecutor js = (JavascriptExecutor) browser;
    Object withoutCsrf = js.executeAsyncScript("var done = arguments[0];"
        + "fetch('/api/sync', {method: 'POST', credentials: 'same-origin', headers: {'Content-Type': 'application/json'}, body: '{}'})"
        + ".then(function (r) { done(r.status); });");
    assertThat(((Number) withoutCsrf).intValue()).isEqualTo(403);
    Object withoutSession = js.executeAsyncScript("var done = arguments[0];"
        + "fetch('/api/runs', {credentials: 'omit'}).then(function (r) { done(r.status); });");
    assertThat(((Number) withoutSession).intValue()).isEqualTo(401);
  }

  @Test
  @Order(3)
  void syncNowAdvancesTheProgressBarAndShowsTheResultWithoutAReload() {
    browser.get(base + "/");
    awaitIdle();
    JavascriptExecutor js = (JavascriptExecutor) browser;
    // a marker that a reload would wipe, and a record of every value the progress bar takes
    js.executeScript("window.stillTheSamePage = true; window.barValues = [];"
        + "var bar = document.getElementById('progress-bar');"
        + "new MutationObserver(function () { window.barValues.push(bar.value + '/' + bar.max); })"
        + ".observe(bar, {attributes: true});");
    browser.findElement(By.id("sync-now")).click();
    wait.until(d -> browser.findElement(By.id("last-result")).getText().startsWith("Result: "));

    assertThat(browser.findElement(By.id("last-result")).getText()).startsWith("Result: synced").contains("Anime:").contains("Manga:");
    assertThat(js.executeScript("return window.stillTheSamePage === true;")).isEqualTo(true);
    @SuppressWarnings("unchecked")
    List<String> values = (List<String>) js.executeScript("return window.barValues;");
    assertThat(values).as("the bar moved through several values").hasSizeGreaterThan(2);
    assertThat(values.stream().distinct().count()).isGreaterThan(1);
    assertThat(browser.findElement(By.id("progress-text")).getText()).contains("finished: synced");
  }

  @Test
  @Order(4)
  void historyOpensARunThatWroteAndShowsAFieldsBeforeAndAfter() {
    browser.get(base + "/history");
    // the demo's first sync (once signed in) wrote the differing entries
    WebElement wrote = browser.findElements(By.cssSelector("tr.run")).stream()
        .filter(r -> Pattern.compile("[1-9][0-9]* (created|updated)").matcher(r.getText()).find())
        .reduce((newer, older) -> older).orElseThrow();
    wrote.findElement(By.tagName("a")).click();
    // an update's change has a value before; a created entry's has none
    WebElement change = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr.status-applied .change .before")))
        .findElement(By.xpath(".."));
    String before = change.findElement(By.className("before")).getText();
    String after = change.findElement(By.className("after")).getText();
    assertThat(before).isNotEqualTo(after);
    assertThat(browser.findElements(By.cssSelector("form.undo button"))).isNotEmpty();
    // the run page speaks a person's words: no request field names and no JSON
    String shown = browser.findElement(By.tagName("main")).getText();
    for (String wire : List.of("scoreRaw", "num_watched_episodes", "is_rewatching", "startedAt", "start_date", "ANILIST", "UPDATE", "{")) {
      assertThat(shown).as("the run page shows no %s", wire).doesNotContain(wire);
    }
  }

  @Test
  @Order(5)
  void aPreviewShowsTheChangeMadeOnMalAndApplyWritesIt() throws Exception {
    MalEntry edited = editOnMal("edited on MAL for the preview");
    browser.get(base + "/");
    awaitIdle();
    browser.findElement(By.id("preview-now")).click();
    wait.until(ExpectedConditions.urlContains("/preview/"));
    WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr.operation")));
    assertThat(browser.findElements(By.cssSelector("tr.operation"))).hasSize(1);
    // the row says what will happen, in words; the notes' text shows when asked for
    assertThat(row.getText()).contains("Will update on AniList").containsPattern("Notes (added|changed)").contains("Edited on MyAnimeList")
        .doesNotContain("edited on MAL for the preview");
    row.findElement(By.cssSelector("details.notes-text summary")).click();
    assertThat(row.getText()).contains("edited on MAL for the preview").contains("AniList");
    String shown = browser.findElement(By.tagName("main")).getText();
    for (String wire : List.of("comments", "notes:", "scoreRaw", "is_rewatching", "startedAt", "start_date", "ANILIST", "skipped", "dry run", "{")) {
      assertThat(shown).as("the preview shows no %s", wire).doesNotContain(wire);
    }

    browser.findElement(By.cssSelector("form.apply button")).click();
    // Apply says what it will write and asks first
    WebElement confirm = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-dialog")));
    assertThat(confirm.getText()).contains("writes 1 entry on AniList");
    confirm.findElement(By.className("confirm-yes")).click();
    wait.until(ExpectedConditions.urlContains("/history/"));
    assertThat(browser.findElement(By.className("notice")).getText()).contains("Applied the plan of").contains(": ok");
    assertThat(browser.findElement(By.cssSelector("tr.status-applied")).getText()).contains("Updated on AniList").contains("Done");
    assertThat(browser.findElement(By.cssSelector("tr.status-applied details.notes-text")).getAttribute("textContent"))
        .contains("edited on MAL for the preview");
    assertThat(edited).isNotNull();
  }

  @Test
  @Order(6)
  void anUnmappedEntryIsPinnedFromTheMappingsPage() {
    browser.get(base + "/mappings");
    WebElement form = browser.findElements(By.cssSelector("form.pin")).get(0);
    String type = form.findElement(By.name("type")).getAttribute("value");
    int malId = Integer.parseInt(form.findElement(By.name("malId")).getAttribute("value"));
    // the demo's unmappable MAL entries have an AniList media without a MAL id, numbered alongside
    int aniListId = (type.equals("ANIME") ? 100_000 : 200_000) + malId - 1_000;
    form.findElement(By.name("aniListId")).sendKeys(String.valueOf(aniListId));
    form.findElement(By.cssSelector("button[value=pin]")).click();
    WebElement notice = wait.until(ExpectedConditions.presenceOfElementLocated(By.className("notice")));
    assertThat(notice.getText()).contains("Pinned " + type.toLowerCase() + " MAL " + malId + " to AniList " + aniListId);
  }

  @Test
  @Order(7)
  void anInvalidConfigIsRefusedWithItsProblemsAndTheFileUnchanged() throws Exception {
    Path file = dir.resolve("config.yaml");
    String before = Files.readString(file);
    browser.get(base + "/config");
    browser.findElement(By.cssSelector("details.config-raw summary")).click();
    String shown = browser.findElement(By.id("config-yaml")).getAttribute("value");
    assertThat(shown).contains("client_secret").doesNotContain(io.github.anilistmalsync.sandbox.DemoServers.CLIENT_SECRET)
        .doesNotContain(password);
    setText(browser.findElement(By.id("config-yaml")), shown.replace("interval: 15", "interval: soon\n  colour: blue"));
    browser.findElement(By.id("save-config")).click();
    WebElement problems = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("save-problems")));
    assertThat(problems.getText()).contains("sync.interval").contains("colour");
    assertThat(Files.readString(file)).isEqualTo(before);
  }

  @Test
  @Order(8)
  void aValidConfigIsSavedAndTakesEffect() throws Exception {
    browser.get(base + "/config");
    browser.findElement(By.cssSelector("details.config-raw summary")).click();
    String shown = browser.findElement(By.id("config-yaml")).getAttribute("value");
    setText(browser.findElement(By.id("config-yaml")), shown.replace("interval: 15", "interval: 15\n  dry_run: true"));
    browser.findElement(By.id("save-config")).click();
    WebElement notice = wait.until(ExpectedConditions.presenceOfElementLocated(By.className("notice")));
    assertThat(notice.getText()).contains("Saved and in force").contains("config.yaml.bak");
    assertThat(Files.readString(dir.resolve("config.yaml"))).contains("dry_run: true")
        .contains(io.github.anilistmalsync.sandbox.DemoServers.CLIENT_SECRET);

    browser.get(base + "/");
    assertThat(browser.findElement(By.className("dry-run-note")).getText()).contains("Sync now runs dry");
    assertThat(browser.findElement(By.id("sync-now")).getText()).isEqualTo("Sync now (dry run)");
    screenshot();
  }

  @Test
  @Order(9)
  void theSettingsFormSavesAKeyAndNeverShowsASecret() throws Exception {
    browser.get(base + "/config");
    WebElement interval = browser.findElement(By.id("cfg-sync-interval"));
    interval.clear();
    interval.sendKeys("20");
    assertThat(browser.findElement(By.id("cfg-anilist-client-secret")).getAttribute("value")).isEmpty();
    assertThat(browser.getPageSource()).doesNotContain(io.github.anilistmalsync.sandbox.DemoServers.CLIENT_SECRET).doesNotContain(password);
    Files.write(DemoBrowser.screenshotFile("config.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    browser.findElement(By.id("save-form")).click();
    WebElement notice = wait.until(ExpectedConditions.presenceOfElementLocated(By.className("notice")));
    assertThat(notice.getText()).contains("Saved");
    assertThat(Files.readString(dir.resolve("config.yaml"))).contains("interval: 20")
        .contains(io.github.anilistmalsync.sandbox.DemoServers.CLIENT_SECRET);
  }

  // ---- helpers ---------------------------------------------------------------------------------------------

  /** Waits until no run is in progress (the demo's first sync starts on its own). */
  private void awaitIdle() {
    wait.until(d -> {
      browser.navigate().refresh();
      return browser.findElements(By.xpath("//p[contains(., 'in progress')]")).isEmpty();
    });
  }

  private static void setText(WebElement area, String text) {
    WebDriver driver = ((org.openqa.selenium.WrapsDriver) area).getWrappedDriver();
    ((JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1];", area, text);
  }

  private MalEntry editOnMal(String comments) throws Exception {
    return visit.editOnMal(comments);
  }

  /** The dashboard as this visit leaves it, with sync.dry_run on. */
  private void screenshot() throws Exception {
    Files.write(DemoBrowser.screenshotFile("dashboard-dry-run.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }
}
