package io.github.anilistmalsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * How every page looks, in a real headless Chromium against the demo: each one fits a 390 px phone screen without
 * scrolling sideways, with the demo's data on it (a run that wrote, a preview with a row, unmapped entries), and the
 * stylesheet follows the system's dark mode.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LayoutBrowserIT {
  /** A common phone's CSS width (iPhone 12 to 15). */
  private static final int PHONE_WIDTH = 390;

  private DemoBrowser visit;
  private JavascriptExecutor js;

  @BeforeAll
  void start() throws Exception {
    visit = DemoBrowser.start(1280, 900);
    js = visit.browser;
  }

  @AfterAll
  void stop() {
    if (visit != null) visit.close();
  }

  @Test
  @Order(1)
  void everyPageFitsAPhoneScreenWithoutScrollingSideways() throws Exception {
    phoneScreen();
    Map<String, Integer> overflows = new LinkedHashMap<>();
    Map<String, List<String>> primaries = new LinkedHashMap<>();
    visit.browser.get(visit.base + "/login");
    overflows.put("login (/login)", overflow());
    primaries.put("login", primaryActions());

    logIn();
    String wroteRun = awaitTheFirstSync();
    visit.editOnMal("a long note, edited on MAL, that the preview shows in its row of changes");
    String preview = preview();
    Map<String, String> pages = new LinkedHashMap<>();
    pages.put("dashboard", "/");
    pages.put("history", "/history");
    pages.put("run", "/history/" + wroteRun);
    pages.put("preview", "/preview/" + preview);
    pages.put("library", "/library");
    pages.put("library needs you", "/library?state=needs_you");
    // the steps after the first-run setup; the first-run form itself (before any config) is FirstRunSetupBrowserIT's
    pages.put("setup", "/setup");
    pages.put("mappings", "/mappings");
    pages.put("accounts", "/accounts");
    pages.put("settings", "/config");
    pages.put("problem", "/history/no-such-run");
    for (Map.Entry<String, String> page : pages.entrySet()) {
      visit.browser.get(visit.base + page.getValue());
      overflows.put(page.getKey() + " (" + page.getValue() + ")", overflow());
      phoneScreenshot(page.getKey());
      assertThat(missingFurniture()).as("what the %s page lacks", page.getKey()).isEmpty();
      primaries.put(page.getKey(), primaryActions());
      if (page.getKey().equals("preview")) {
        assertThat(visit.browser.findElements(By.cssSelector("tr.operation"))).as("the preview has a row to lay out").isNotEmpty();
      }
    }

    List<String> tooWide = new ArrayList<>();
    overflows.forEach((page, overflow) -> {
      if (overflow > 0) tooWide.add(page + " is " + overflow + " px wider than the screen");
    });
    assertThat(tooWide).as("pages that scroll sideways on a %d px screen, of %s", PHONE_WIDTH, overflows).isEmpty();
    primaries.forEach((page, actions) -> assertThat(actions).as("the main actions of the %s page", page).hasSizeLessThanOrEqualTo(1));
    assertThat(primaries.get("dashboard")).containsExactly("Sync now");
    assertThat(primaries.get("login")).containsExactly("Sign in");
    assertThat(primaries.get("preview")).singleElement().asString().startsWith("Apply this plan");
    assertThat(primaries.get("settings")).containsExactly("Save settings");
  }

  @Test
  @Order(2)
  void theDashboardFollowsTheSystemsDarkMode() throws Exception {
    desktopScreen();
    colourScheme("light");
    visit.browser.get(visit.base + "/");
    visit.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sync-now")));
    assertThat(luminance("document.body", "backgroundColor")).as("the light page's background").isGreaterThan(0.8);
    Files.write(DemoBrowser.screenshotFile("dashboard.png"), visit.browser.getScreenshotAs(OutputType.BYTES));

    colourScheme("dark");
    visit.browser.navigate().refresh();
    visit.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sync-now")));
    assertThat(luminance("document.body", "backgroundColor")).as("the dark page's background").isLessThan(0.1);
    assertThat(luminance("document.querySelector('h1')", "color")).as("the dark page's heading text").isGreaterThan(0.6);
    assertThat(luminance("document.querySelector('.card')", "backgroundColor")).as("a card on the dark page").isLessThan(0.2);
    Files.write(DemoBrowser.screenshotFile("dashboard-dark.png"), visit.browser.getScreenshotAs(OutputType.BYTES));
  }

  // ---- helpers ---------------------------------------------------------------------------------------------

  private void logIn() {
    visit.browser.get(visit.base + "/login");
    visit.browser.findElement(By.name("password")).sendKeys(visit.password);
    visit.browser.findElement(By.cssSelector("form button[type=submit]")).click();
    visit.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sync-now")));
  }

  /** Waits for the demo's first sync (it starts on its own once signed in) and answers its run id: a run that wrote. */
  private String awaitTheFirstSync() {
    return (String) visit.wait.until(d -> js.executeAsyncScript("var done = arguments[0];"
        + "Promise.all([fetch('/api/status').then(function (r) { return r.json(); }),"
        + " fetch('/api/runs').then(function (r) { return r.json(); })]).then(function (both) {"
        + "  var wrote = both[1].runs.filter(function (run) { return run.counts.some(function (c) { return c.created + c.updated > 0; }); });"
        + "  done(!both[0].running && wrote.length ? wrote[wrote.length - 1].id : null);"
        + "}).catch(function () { done(null); });"));
  }

  /** Plans a preview (POST /api/preview answers once it is planned) and answers its run id. */
  private String preview() {
    return (String) js.executeAsyncScript("var done = arguments[0];"
        + "var csrf = document.querySelector('meta[name=\"csrf-token\"]').getAttribute('content');"
        + "fetch('/api/preview', {method: 'POST', credentials: 'same-origin', headers: {'X-CSRF-Token': csrf}})"
        + ".then(function (r) { return r.json(); }).then(function (run) { done(run.id); });");
  }

  /**
   * How much wider than the window the page is laid out (0 when it fits): more means it scrolls sideways. The
   * window's width less its vertical scroll bar is what the page has, so the page's width is measured against that.
   */
  private int overflow() {
    visit.wait.until(d -> "complete".equals(js.executeScript("return document.readyState;")));
    Number inner = (Number) js.executeScript("return window.innerWidth;");
    assertThat(inner.intValue()).as("the window is a phone's width").isEqualTo(PHONE_WIDTH);
    return ((Number) js.executeScript("var root = document.documentElement;"
        + "return Math.max(root.scrollWidth, document.body.scrollWidth) - root.clientWidth;")).intValue();
  }

  /** Each page as a phone shows it, for a person to look at: target/phone/, never the README's folder. */
  private void phoneScreenshot(String page) throws Exception {
    Path out = Path.of("target", "phone", page.replace(' ', '-') + ".png");
    Files.createDirectories(out.getParent());
    Files.write(out, visit.browser.getScreenshotAs(OutputType.BYTES));
  }

  /**
   * What a page should have and lacks: a skip link to its main content, the favicon, a caption on every table and,
   * in a table that stacks on a phone, a label on every cell (the stacked cell shows it in place of the header).
   */
  @SuppressWarnings("unchecked")
  private List<String> missingFurniture() {
    return (List<String>) js.executeScript("var missing = [];"
        + "var skip = document.querySelector('body > a.skip-link');"
        + "if (!skip || !document.querySelector(skip.getAttribute('href'))) missing.push('a skip link to the main content');"
        + "if (!document.querySelector('link[rel=icon][href=\"/favicon.svg\"]')) missing.push('the favicon');"
        + "document.querySelectorAll('table').forEach(function (t) {"
        + "  if (!t.caption || !t.caption.textContent.trim()) missing.push('a caption on table.' + t.className);"
        + "  if (!t.classList.contains('stack')) missing.push('the stack class on table.' + t.className);"
        + "  t.querySelectorAll('td:not([data-label])').forEach(function (td) { missing.push('a data-label on a cell of table.' + t.className); });"
        + "});"
        + "var bar = document.querySelector('progress');"
        + "if (bar && !(bar.labels.length || bar.getAttribute('aria-labelledby') || bar.getAttribute('aria-label'))) missing.push('a label on the progress bar');"
        + "return missing.filter(function (m, i) { return missing.indexOf(m) === i; });");
  }

  /** A page's main actions: there is at most one. */
  private List<String> primaryActions() {
    return visit.browser.findElements(By.cssSelector(".btn-primary")).stream().map(e -> e.getText()).toList();
  }

  private void phoneScreen() {
    visit.browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", PHONE_WIDTH, "height", 844, "deviceScaleFactor", 1, "mobile", false));
  }

  private void desktopScreen() {
    visit.browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
  }

  private void colourScheme(String scheme) {
    visit.browser.executeCdpCommand("Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
  }

  /** The relative luminance (0 black to 1 white) of a colour of an element, as computed by the browser. */
  private double luminance(String element, String property) {
    String rgb = (String) js.executeScript("return getComputedStyle(" + element + ")." + property + ";");
    String[] parts = rgb.replaceAll("[^0-9.,]", "").split(",");
    double[] c = new double[3];
    for (int i = 0; i < 3; i++) {
      double v = Double.parseDouble(parts[i]) / 255;
      c[i] = v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
}
