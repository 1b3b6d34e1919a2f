package io.github.anilistmalsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's chromium and chromium-driver (which .ci/run installs), headless, for the tests that drive a browser. */
final class HeadlessChromium {
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private HeadlessChromium() {}

  /** Skips the test where chromium is not installed, except in CI, where its absence is a failure. */
  static void assumeInstalled() {
    boolean installed = Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
    if (System.getenv("CI") == null) {
      Assumptions.assumeTrue(installed, "chromium and chromium-driver are not installed (.ci/run installs them)");
    }
    assertThat(installed).as("chromium and chromium-driver are installed").isTrue();
  }

  /** A new headless browser with a 1280×1000 window. */
  static WebDriver start() {
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
        .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--window-size=1280,1000");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }
}
