package io.github.anilistmalsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.config.TestConfigs;
import io.github.anilistmalsync.sandbox.DemoServers;
import io.github.anilistmalsync.sandbox.FakeOAuth;
import io.github.anilistmalsync.sandbox.RecordedRequest;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A new user's first start, in a real headless Chromium: {@code run} with no config file at all, against fake
 * AniList and MAL servers in this test process (their addresses by environment variables, as a container is set up).
 * Everything else is done through the pages: the setup link from the log, the password and the API clients, both
 * sign-ins through the Connect buttons, the first sync as a preview, approved; the test writes no file itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FirstRunSetupBrowserIT {
  private static final String PASSWORD = "a long enough password";

  private Path dir;
  private Vertx vertx;
  private DemoServers fakes;
  private ServiceProcess service;
  private WebDriver browser;
  private WebDriverWait wait;
  private String base;

  @BeforeAll
  void start() throws Exception {
    Chromium.assumeInstalled();
    dir = Files.createTempDirectory("first-run-it");
    int webPort = TestConfigs.freePort();
    base = "http://127.0.0.1:" + webPort;
    vertx = Vertx.vertx();
    fakes = new DemoServers(vertx).start(12).await();
    String redirect = base + "/oauth/callback";
    fakes.aniList().withOAuth(new FakeOAuth(FakeOAuth.Style.ANILIST, DemoServers.CLIENT_ID, DemoServers.CLIENT_SECRET, redirect));
    fakes.mal().withOAuth(new FakeOAuth(FakeOAuth.Style.MAL, DemoServers.CLIENT_ID, DemoServers.CLIENT_SECRET, redirect));
    int ani = fakes.aniList().port();
    int mal = fakes.mal().port();
    service = ServiceProcess.start(dir, Map.of(
            "ANILIST_API_URL", fakes.aniList().apiUrl(),
            "ANILIST_AUTH_URL", "http://127.0.0.1:" + ani + "/api/v2/oauth/authorize",
            "ANILIST_TOKEN_URL", "http://127.0.0.1:" + ani + "/api/v2/oauth/token",
            "ANILIST_REQUESTS_PER_MINUTE", "600",
            "MAL_API_URL", fakes.mal().apiUrl(),
            "MAL_AUTH_URL", "http://127.0.0.1:" + mal + "/v1/oauth2/authorize",
            "MAL_TOKEN_URL", "http://127.0.0.1:" + mal + "/v1/oauth2/token",
            "MAL_REQUESTS_PER_SECOND", "20",
            // as a container sets it: the setup's mode step shows it read-only
            "SYNC_MODE", "bidirectional"),
        "run", "--port", String.valueOf(webPort), "--host", "127.0.0.1", "--data-dir", dir.toString());
    assertThat(service.awaitLine("Set up in your browser: ", Duration.ofSeconds(90))).as(service.output()).isTrue();

    browser = Chromium.open(1280, 1400);
    wait = new WebDriverWait(browser, Duration.ofSeconds(90));
  }

  @AfterAll
  void stop() {
    if (browser != null) browser.quit();
    if (service != null) service.close();
    if (fakes != null) fakes.stop().await();
    if (vertx != null) vertx.close().await();
  }

  @Test
  @Order(1)
  void theSetupPageWithoutItsCodeOffersNoFormButSaysWhereTheLinkIs() {
    browser.get(base + "/");
    assertThat(browser.getCurrentUrl()).isEqualTo(base + "/setup");
    assertThat(browser.findElements(By.tagName("form"))).isEmpty();
    assertThat(browser.findElements(By.tagName("input"))).isEmpty();
    assertThat(browser.findElement(By.tagName("main")).getText()).contains("Set up in your browser:").contains("log");

    browser.get(base + "/setup?code=not-the-code");
    assertThat(browser.findElements(By.tagName("form"))).isEmpty();
  }

  @Test
  @Order(2)
  void theLogPrintsOneSetupAddressWithTheConfiguredHost() {
    Matcher lines = Pattern.compile("Set up in your browser: ").matcher(service.output());
    int count = 0;
    while (lines.find()) count++;
    assertThat(count).isEqualTo(1);
    assertThat(setupAddress()).startsWith(base + "/setup?code=");
  }

  @Test
  @Order(3)
  void theSetupSavesThePasswordAndTheClientsAndTheServiceStartsSignedIntoTheDashboard() throws Exception {
    browser.get(setupAddress());
    WebElement redirect = browser.findElement(By.id("pair-main-redirect-uri"));
    assertThat(redirect.getAttribute("value")).isEqualTo(base + "/oauth/callback");
    assertThat(browser.findElement(By.id("pair-main-anilist")).getText()).contains("https://anilist.co/settings/developer");
    assertThat(browser.findElement(By.id("pair-main-mal")).getText()).contains("https://myanimelist.net/apiconfig");
    assertThat(browser.findElements(By.cssSelector("button.copy"))).hasSizeGreaterThanOrEqualTo(1);

    // a mismatched password is refused on the page, and nothing is saved
    browser.findElement(By.id("setup-password-1")).sendKeys(PASSWORD);
    browser.findElement(By.id("setup-password-2")).sendKeys(PASSWORD + " but different");
    browser.findElement(By.id("pair-main-anilist-client-id")).sendKeys(DemoServers.CLIENT_ID);
    browser.findElement(By.id("pair-main-anilist-client-secret")).sendKeys(DemoServers.CLIENT_SECRET);
    browser.findElement(By.id("pair-main-mal-client-id")).sendKeys(DemoServers.CLIENT_ID);
    browser.findElement(By.id("pair-main-mal-client-secret")).sendKeys(DemoServers.CLIENT_SECRET);
    // the whole filled-in form for the README (docs/setup.png): tall enough for every step, from the top, no focus ring
    browser.manage().window().setSize(new Dimension(1280, 1900));
    ((JavascriptExecutor) browser).executeScript("document.activeElement.blur(); window.scrollTo(0, 0);");
    assertThat(((JavascriptExecutor) browser).executeScript("return document.querySelector('.brand img').naturalWidth"))
        .as("the waiting server serves the header's icon too").isNotEqualTo(0L);
    screenshot("setup.png");
    browser.manage().window().setSize(new Dimension(1280, 1400));
    browser.findElement(By.id("setup-save")).click();
    WebElement problems = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("setup-problems")));
    assertThat(problems.getText()).contains("The two passwords differ");
    assertThat(browser.getPageSource()).doesNotContain(DemoServers.CLIENT_SECRET);
    assertThat(Files.readString(dir.resolve("config.yaml"))).doesNotContain(DemoServers.CLIENT_SECRET);

    WebElement again = browser.findElement(By.id("setup-password-2"));
    again.clear();
    again.sendKeys(PASSWORD);
    browser.findElement(By.id("setup-save")).click();
    wait.until(ExpectedConditions.urlToBe(base + "/setup"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("pair-main-steps")));
    // logged in: the dashboard's navigation is there, and the setup's own page has no form any more
    assertThat(browser.findElements(By.cssSelector("form.logout"))).hasSize(1);
    assertThat(browser.getPageSource()).doesNotContain(DemoServers.CLIENT_SECRET).doesNotContain(PASSWORD);
    String config = Files.readString(dir.resolve("config.yaml"));
    assertThat(config).contains("redirect_uri: \"" + base + "/oauth/callback\"").contains(DemoServers.CLIENT_SECRET).doesNotContain(PASSWORD);
    assertThat(Files.readString(dir.resolve("web-password.hash"))).startsWith("pbkdf2-sha256$");
    assertThat(service.output()).doesNotContain(DemoServers.CLIENT_SECRET).doesNotContain(PASSWORD);
  }

  @Test
  @Order(4)
  void eachConnectButtonSignsInAndComesBackWithTheResult() {
    assertThat(browser.findElement(By.id("pair-main-preview")).isEnabled()).isFalse();
    browser.findElement(By.cssSelector("#pair-main-anilist-connect a.connect")).click();
    WebElement notice = wait.until(ExpectedConditions.presenceOfElementLocated(By.className("notice")));
    assertThat(browser.getCurrentUrl()).isEqualTo(base + "/setup");
    assertThat(notice.getText()).isEqualTo("Signed in to AniList.");
    assertThat(browser.findElement(By.id("pair-main-anilist-connect")).getText()).contains("Connected to AniList");

    browser.findElement(By.cssSelector("#pair-main-mal-connect a.connect")).click();
    notice = wait.until(ExpectedConditions.presenceOfElementLocated(By.className("notice")));
    assertThat(notice.getText()).isEqualTo("Signed in to MyAnimeList.");
    assertThat(browser.findElement(By.id("pair-main-mal-connect")).getText()).contains("Connected to MyAnimeList");
    assertThat(browser.findElement(By.id("pair-main-preview")).isEnabled()).isTrue();
    assertThat(writesOnTheFakes()).as("nothing is written before the first sync is approved").isZero();
  }

  @Test
  @Order(5)
  void leftBeforeTheApprovalTheDashboardLeadsBackToTheSetupsPreviewStep() {
    browser.get(base + "/");
    WebElement step = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".setup-steps a.first-sync")));
    assertThat(step.getText()).isEqualTo("Preview and approve the first sync");
    assertThat(browser.findElements(By.className("dry-run-note"))).hasSize(1);
    step.click();
    wait.until(ExpectedConditions.urlToBe(base + "/setup#pair-main-first-sync"));
    assertThat(browser.findElement(By.id("pair-main-preview")).isEnabled()).isTrue();
  }

  @Test
  @Order(6)
  void theFirstSyncIsShownAsAPreviewAndApprovingItEndsOnADashboardSayingTheListsAreInSync() throws Exception {
    // the mode comes from SYNC_MODE: shown, not editable, and not written to the file
    assertThat(browser.findElement(By.id("pair-main-mode")).getText()).contains("Set by the environment variable SYNC_MODE");
    WebElement bidirectional = browser.findElement(By.cssSelector("input[name=mode][value=bidirectional]"));
    assertThat(bidirectional.isSelected()).isTrue();
    assertThat(bidirectional.isEnabled()).isFalse();
    WebElement interval = browser.findElement(By.id("pair-main-interval"));
    interval.clear();
    interval.sendKeys("120");
    browser.findElement(By.id("pair-main-preview")).click();
    wait.until(ExpectedConditions.urlContains("/setup/preview/"));
    int planned = browser.findElements(By.cssSelector("tr.operation")).size();
    assertThat(planned).isPositive();
    assertThat(writesOnTheFakes()).isZero();
    assertThat(Files.readString(dir.resolve("config.yaml"))).contains("interval: 120");

    browser.findElement(By.id("approve-first-sync")).click();
    wait.until(ExpectedConditions.urlToBe(base + "/"));
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Dashboard");
    assertThat(browser.findElement(By.className("notice")).getText()).contains("The first sync is done: your lists are in sync");
    assertThat(browser.findElements(By.className("dry-run-note"))).isEmpty();
    assertThat(writesOnTheFakes()).isEqualTo(planned);
    assertThat(browser.findElements(By.cssSelector(".setup-steps"))).as("the setup is finished: no steps left").isEmpty();
    assertThat(dir.resolve("setup-unapproved")).doesNotExist();
    screenshot("setup-done.png");
  }

  // ---- helpers ---------------------------------------------------------------------------------------------

  private String setupAddress() {
    Matcher m = Pattern.compile("Set up in your browser: (\\S+)").matcher(service.output());
    if (!m.find()) throw new AssertionError("no setup line in:\n" + service.output());
    return m.group(1);
  }

  /** The list writes both fakes answered (saves and deletes), as they recorded them. */
  private long writesOnTheFakes() {
    return fakes.aniList().requests().stream().filter(RecordedRequest::isWrite).count()
        + fakes.mal().requests().stream().filter(RecordedRequest::isWrite).count();
  }

  private void screenshot(String name) throws Exception {
    Path out = Path.of(System.getProperty("screenshot.dir", "target")).resolve(name);
    Files.createDirectories(out.getParent());
    Files.write(out, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }
}
