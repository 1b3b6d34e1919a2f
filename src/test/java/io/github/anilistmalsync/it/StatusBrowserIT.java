package io.github.anilistmalsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.config.TestConfigs;
import io.github.anilistmalsync.model.ScoreFormat;
import io.github.anilistmalsync.sandbox.FakeAniList;
import io.github.anilistmalsync.sandbox.FakeMal;
import io.github.anilistmalsync.sandbox.Fault;
import io.github.anilistmalsync.sandbox.SampleLists;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Whether the dashboard tells the truth at a glance, in a real headless Chromium: the service jar on fake AniList
 * and MAL that run in this test, so a fault can be injected between two syncs. After a run whose manga could not be
 * read, the line at the top says the sync failed and why, and the manga card shows it (the anime card does not),
 * without a reload; the run's page shows it as failed with its reason; the next good run puts the line back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusBrowserIT {
  private static final String PASSWORD = "status-browser-password";

  private Vertx vertx;
  private FakeAniList aniList;
  private FakeMal mal;
  private ServiceProcess service;
  private WebDriver browser;
  private WebDriverWait wait;
  private String base;

  @BeforeAll
  void start() throws Exception {
    Chromium.assumeInstalled();
    vertx = Vertx.vertx();
    aniList = new FakeAniList(vertx).user(new FakeAniList.User(1, "demo", ScoreFormat.POINT_10));
    mal = new FakeMal(vertx);
    SampleLists.seedEveryType(aniList, mal, 30, new SampleLists.Mix(20, 10, 10, 0, 0), 7, Instant.now());
    aniList.start(0).await();
    mal.start(0).await();

    Path dir = Files.createTempDirectory("status-it");
    int webPort = TestConfigs.freePort();
    ServiceProcess.prepareFor(dir, aniList.apiUrl(), mal.apiUrl(), """
        sync:
          interval: 15
          live_seconds: 0
        web:
          host: "127.0.0.1"
          port: %d
          password: "%s"
        """.formatted(webPort, PASSWORD));
    service = ServiceProcess.start(dir, Map.of(), "run", "--data-dir", dir.toString());
    assertThat(service.awaitLine("web UI listening on", Duration.ofSeconds(90))).as(service.output()).isTrue();
    base = "http://127.0.0.1:" + webPort;

    browser = Chromium.open(1280, 1000);
    wait = new WebDriverWait(browser, Duration.ofSeconds(90));
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    wait.withMessage(() -> "the status line says: " + line() + "\nservice output (end):\n" + tail(service.output()));
  }

  @AfterAll
  void stop() {
    if (browser != null) browser.quit();
    if (service != null) service.close();
    if (vertx != null) vertx.close().await();
  }

  @Test
  @Order(1)
  void afterTheFirstSyncTheLineSaysInSyncWithTheCountOnEveryPage() {
    browser.get(base + "/login");
    browser.findElement(By.name("password")).sendKeys(PASSWORD);
    browser.findElement(By.cssSelector("form button[type=submit]")).click();
    // the first sync starts with the service; the page follows it without a reload
    wait.until(d -> line().startsWith("In sync"));
    assertThat(line()).matches("In sync — [0-9,]+ entries, checked (just now|[0-9]+ s ago|[0-9]+ min ago)");
    assertThat(browser.findElement(By.id("status-line")).getAttribute("class")).contains("status-ok");
    assertThat(browser.findElement(By.id("progress-box")).isDisplayed()).as("no bar when nothing runs").isFalse();
    for (String page : new String[] {"/history", "/mappings", "/accounts", "/preview", "/config"}) {
      browser.get(base + page);
      assertThat(line()).as(page).startsWith("In sync");
    }
  }

  @Test
  @Order(2)
  void afterAFailedRunTheDashboardSaysSoWithTheReasonAndTheCardsShowItWithoutAReload() throws Exception {
    browser.get(base + "/");
    JavascriptExecutor js = (JavascriptExecutor) browser;
    js.executeScript("window.stillTheSamePage = true; window.barValues = [];"
        + "var bar = document.getElementById('progress-bar');"
        + "new MutationObserver(function () { window.barValues.push(Number(bar.value)); }).observe(bar, {attributes: true});");
    assertThat(card("MANGA").getAttribute("class")).contains("status-ok");
    // MyAnimeList stops answering for manga lists, on every retry
    mal.inject(Fault.status(503, "{\"error\":\"unavailable\"}").when(r -> r.path().contains("/mangalist")), 1_000);

    browser.findElement(By.id("sync-now")).click();
    wait.until(d -> line().contains("failed"));

    assertThat(js.executeScript("return window.stillTheSamePage === true;")).as("no reload").isEqualTo(true);
    String line = line();
    assertThat(line).containsPattern("^Manga sync failed (just now|[0-9]+ s ago): ").containsIgnoringCase("MyAnimeList")
        .contains("next try in ");
    assertThat(browser.findElement(By.id("status-line")).getAttribute("class")).contains("status-failed");
    assertThat(card("MANGA").getAttribute("class")).contains("status-failed");
    assertThat(card("MANGA").findElement(By.cssSelector(".last-run a")).getText()).isEqualTo("Failed");
    String reason = card("MANGA").findElement(By.cssSelector(".reasons li")).getText();
    assertThat(reason).containsIgnoringCase("MyAnimeList");
    assertThat(line).contains(reason);
    assertThat(card("ANIME").getAttribute("class")).as("anime synced in the same run").contains("status-ok");
    assertThat(card("ANIME").findElement(By.cssSelector(".last-run a")).getText()).isEqualTo("Synced");
    assertThat(card("ANIME").findElements(By.cssSelector(".reasons"))).isEmpty();
    @SuppressWarnings("unchecked")
    java.util.List<Number> values = (java.util.List<Number>) js.executeScript("return window.barValues;");
    assertThat(values).as("the bar moved").isNotEmpty();
    for (int i = 1; i < values.size(); i++) {
      assertThat(values.get(i).doubleValue()).as("the bar only moves forward: %s", values).isGreaterThanOrEqualTo(values.get(i - 1).doubleValue());
    }
    assertThat(browser.findElement(By.id("progress-box")).isDisplayed()).as("the bar is hidden once the run ended").isFalse();
    screenshot("status-failed.png");

    // the run's page says it failed, and why
    browser.findElement(By.cssSelector("#status-line a")).click();
    wait.until(d -> browser.getCurrentUrl().contains("/history/"));
    assertThat(browser.findElement(By.cssSelector(".run-result")).getText()).contains("Failed");
    assertThat(browser.findElement(By.cssSelector(".run-result")).getAttribute("class")).contains("status-failed");
    assertThat(browser.findElement(By.cssSelector(".problems")).getText()).contains(reason);
  }

  @Test
  @Order(3)
  void theNextGoodRunPutsTheLineBackWithoutAReload() {
    mal.calm();
    browser.get(base + "/");
    JavascriptExecutor js = (JavascriptExecutor) browser;
    js.executeScript("window.stillTheSamePage = true;");
    // the breaker MAL's failures opened may still be open for a while: try until a run gets through
    wait.until(d -> {
      if (line().startsWith("In sync")) return true;
      if (!line().startsWith("Syncing")) browser.findElement(By.id("sync-now")).click();
      return false;
    });
    assertThat(js.executeScript("return window.stillTheSamePage === true;")).isEqualTo(true);
    assertThat(card("MANGA").getAttribute("class")).contains("status-ok");
  }

  @Test
  @Order(4)
  void undoSaysWhatItWillRestoreAndDoesNothingUntilConfirmed() throws Exception {
    browser.get(base + "/history");
    screenshot("history.png");
    // the first sync wrote the entries the two lists did not share; it is the oldest run
    java.util.List<org.openqa.selenium.WebElement> wrote = browser.findElements(By.cssSelector("tr.run")).stream()
        .filter(r -> r.getText().matches("(?s).*· [1-9][0-9]* written.*")).toList();
    assertThat(wrote).isNotEmpty();
    assertThat(wrote.get(wrote.size() - 1).getText()).contains("schedule");
    wrote.get(wrote.size() - 1).findElement(By.tagName("a")).click();
    String runPage = wait.until(d -> d.getCurrentUrl().contains("/history/") ? d.getCurrentUrl() : null);
    long undoForms = browser.findElements(By.cssSelector("form.undo")).size();
    assertThat(undoForms).isEqualTo(1);

    browser.findElement(By.cssSelector("form.undo button")).click();
    org.openqa.selenium.WebElement dialog = wait.until(org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated(By.id("confirm-dialog")));
    assertThat(dialog.getText()).containsPattern("Undo run \\S+: restores [0-9]+ entr(y|ies) on (AniList|MyAnimeList)");
    dialog.findElement(By.xpath(".//button[.='Cancel']")).click();
    assertThat(browser.getCurrentUrl()).isEqualTo(runPage);
    assertThat(browser.findElements(By.className("notice"))).as("nothing was undone").isEmpty();

    browser.findElement(By.cssSelector("form.undo button")).click();
    wait.until(org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated(By.id("confirm-dialog")))
        .findElement(By.className("confirm-yes")).click();
    wait.until(d -> !d.getCurrentUrl().equals(runPage));
    assertThat(browser.findElement(By.className("notice")).getText()).contains("Undo of run");
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  /** The status line's words and its link's, read in one step (the page replaces the line when a run ends). */
  private String line() {
    return String.valueOf(((JavascriptExecutor) browser).executeScript("var p = document.getElementById('status-line');"
        + "if (!p) return '';"
        + "var t = p.querySelector('.status-text'), a = p.querySelector('.status-link');"
        + "return (t ? t.textContent : '') + (a ? ' ' + a.textContent : '');"));
  }

  private org.openqa.selenium.WebElement card(String type) {
    return browser.findElement(By.cssSelector("article.type[data-type=" + type + "]"));
  }

  private static String tail(String text) {
    return text.length() <= 6000 ? text : text.substring(text.length() - 6000);
  }

  private void screenshot(String name) throws Exception {
    Path out = Path.of(System.getProperty("screenshot.dir", "target")).resolve(name);
    Files.createDirectories(out.getParent());
    Files.write(out, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }
}
