package io.github.anilistmalsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The browser of the browser tests: Debian's headless chromium and chromium-driver (.ci/run installs them). Outside
 * CI a machine without them skips the test; on CI their absence fails it.
 */
final class Chromium {
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private Chromium() {}

  /** Skips (or, on CI, fails) the test class when the browser is missing; call before starting anything else. */
  static void assumeInstalled() {
    boolean installed = Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
    if (System.getenv("CI") == null) {
      Assumptions.assumeTrue(installed, "chromium and chromium-driver are not installed (.ci/run installs them)");
    }
    assertThat(installed).as("chromium and chromium-driver are installed").isTrue();
  }

  /** A new headless browser with a window of that size. */
  static ChromeDriver open(int width, int height) {
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
        .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--window-size=" + width + "," + height);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }
}
