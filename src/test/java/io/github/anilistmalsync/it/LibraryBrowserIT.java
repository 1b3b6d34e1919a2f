package io.github.anilistmalsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.anilistmalsync.sandbox.SampleLibrary;
import io.github.anilistmalsync.sandbox.SampleLists;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
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
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Library in a real headless Chromium against the demo (the service jar on its built-in fake AniList and MAL), as
 * one visit: after the demo's first sync every demo entry is listed once with the state it should be in; the state
 * and type filters and the title search show exactly their entries; a dashboard count opens the Library filtered to
 * it; a pin to an AniList id that does not exist is refused with a sentence, and a pin made is listed and removed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LibraryBrowserIT {
  /** What the demo seeds: DemoMode's entries per type, DemoServers' mix and seed. */
  private static final int DEMO_PER_TYPE = 80;
  private static final long DEMO_SEED = 2026;

  private DemoBrowser visit;
  private WebDriver browser;
  private WebDriverWait wait;
  private String base;

  @BeforeAll
  void start() throws Exception {
    visit = DemoBrowser.start(1280, 1000);
    browser = visit.browser;
    wait = visit.wait;
    base = visit.base;
    visit.awaitFirstSync();
    browser.get(base + "/login");
    browser.findElement(By.name("password")).sendKeys(visit.password);
    browser.findElement(By.cssSelector("form button[type=submit]")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sync-now")));
  }

  @AfterAll
  void stop() {
    if (visit != null) visit.close();
  }

  @Test
  @Order(1)
  void everyDemoEntryIsListedOnceWithTheStateItShouldBeIn() throws Exception {
    browser.get(base + "/");
    browser.findElement(By.linkText("Library")).click();
    Map<String, String> listed = new HashMap<>();
    while (true) {
      for (WebElement row : browser.findElements(By.cssSelector("tr.library-entry"))) {
        String key = row.getAttribute("data-type") + "/" + row.getAttribute("data-mal-id") + "/" + row.getAttribute("data-anilist-id");
        assertThat(listed.put(key, row.getAttribute("data-state"))).as("listed once: " + key).isNull();
      }
      List<WebElement> next = browser.findElements(By.cssSelector("nav.paging a[rel=next]"));
      if (next.isEmpty()) break;
      next.get(0).click();
    }
    assertThat(listed).isEqualTo(expectedStates());
    browser.get(base + "/library?state=unmapped");
    WebElement unmapped = browser.findElement(By.cssSelector("tr.library-entry"));
    assertThat(unmapped.findElement(By.cssSelector("td[data-label=State]")).getText()).startsWith("Unmapped");
    assertThat(unmapped.findElement(By.cssSelector("td[data-label=Details]")).getText()).isNotBlank();
    browser.get(base + "/library");
    Path shot = Path.of(System.getProperty("screenshot.dir", "target")).resolve("library.png");
    Files.createDirectories(shot.getParent());
    Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  @Test
  @Order(2)
  void theFiltersAndTheSearchShowExactlyTheirEntries() {
    browser.get(base + "/library");
    new Select(browser.findElement(By.name("type"))).selectByValue("MANGA");
    new Select(browser.findElement(By.name("state"))).selectByValue("unmapped");
    browser.findElement(By.cssSelector("form.library-filter button[type=submit]")).click();
    wait.until(ExpectedConditions.urlContains("state=unmapped"));
    long expectedUnmappedManga = expectedStates().entrySet().stream()
        .filter(e -> e.getKey().startsWith("MANGA/") && e.getValue().equals("unmapped")).count();
    List<WebElement> rows = browser.findElements(By.cssSelector("tr.library-entry"));
    assertThat(rows).hasSize((int) expectedUnmappedManga);
    assertThat(rows).allSatisfy(r -> {
      assertThat(r.getAttribute("data-type")).isEqualTo("MANGA");
      assertThat(r.getAttribute("data-state")).isEqualTo("unmapped");
    });

    browser.get(base + "/library?type=ANIME");
    String title = browser.findElements(By.cssSelector("tr.library-entry .title")).get(3).getText();
    String part = title.substring(title.indexOf(' ') + 1);
    WebElement search = browser.findElement(By.name("q"));
    search.sendKeys(part.toLowerCase());
    search.submit();
    wait.until(ExpectedConditions.urlContains("q="));
    List<String> found = browser.findElements(By.cssSelector("tr.library-entry .title")).stream().map(WebElement::getText).toList();
    assertThat(found).contains(title).allMatch(t -> t.toLowerCase().contains(part.toLowerCase()));
  }

  @Test
  @Order(3)
  void aDashboardCountOpensTheLibraryFilteredToIt() {
    browser.get(base + "/");
    WebElement anime = browser.findElement(By.cssSelector("article.type[data-type=ANIME] .library-links"));
    anime.findElement(By.partialLinkText("unmapped")).click();
    wait.until(ExpectedConditions.urlContains("/library"));
    assertThat(browser.getCurrentUrl()).contains("type=ANIME").contains("state=unmapped");
    assertThat(browser.findElements(By.cssSelector("tr.library-entry"))).isNotEmpty().allSatisfy(r ->
        assertThat(r.getAttribute("data-state") + " " + r.getAttribute("data-type")).isEqualTo("unmapped ANIME"));
  }

  @Test
  @Order(4)
  void aPinToAMissingIdIsRefusedAndAPinMadeIsListedAndRemoved() {
    browser.get(base + "/library?type=ANIME&state=unmapped");
    WebElement row = browser.findElements(By.cssSelector("tr.library-entry")).stream()
        .filter(r -> !r.getAttribute("data-mal-id").equals("0")).findFirst().orElseThrow();
    int malId = Integer.parseInt(row.getAttribute("data-mal-id"));
    row.findElement(By.name("aniListId")).sendKeys("999999");
    row.findElement(By.cssSelector("button[value=pin]")).click();
    WebElement refused = wait.until(ExpectedConditions.presenceOfElementLocated(By.className("notice")));
    assertThat(refused.getText()).contains("AniList has no anime with the id 999999").contains("nothing was pinned");
    assertThat(browser.getCurrentUrl()).contains("/library").contains("state=unmapped");
    assertThat(browser.findElements(By.cssSelector("tr.mapping"))).isEmpty();

    // the demo's unmappable MAL entries have an AniList media without a MAL id, numbered alongside
    int aniListId = 100_000 + malId - 1_000;
    row = browser.findElement(By.cssSelector("tr.library-entry[data-mal-id='" + malId + "']"));
    row.findElement(By.name("aniListId")).sendKeys(String.valueOf(aniListId));
    row.findElement(By.cssSelector("button[value=pin]")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.className("notice"), "Pinned anime MAL " + malId + " to AniList " + aniListId));
    row = browser.findElement(By.cssSelector("tr.library-entry[data-mal-id='" + malId + "']"));
    assertThat(row.findElement(By.cssSelector(".flag.pinned")).getText()).isEqualTo("Pinned to AniList " + aniListId);
    WebElement pin = browser.findElement(By.cssSelector("tr.mapping[data-mal-id='" + malId + "']"));
    assertThat(pin.getText()).contains("MyAnimeList " + malId + " pinned to AniList " + aniListId);

    pin.findElement(By.cssSelector("button[value=remove]")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.className("notice"), "Removed the mapping of anime MAL " + malId));
    assertThat(browser.findElements(By.cssSelector("tr.mapping"))).isEmpty();
    assertThat(browser.findElement(By.cssSelector("tr.library-entry[data-mal-id='" + malId + "']")).findElements(By.cssSelector(".flag.pinned")))
        .isEmpty();
  }

  private static Map<String, String> expectedStates() {
    return SampleLibrary.statesAfterFirstSync(DEMO_PER_TYPE, SampleLists.Mix.demo(), DEMO_SEED);
  }
}
