package io.cascadefarm.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driven by Selenium,
 * with the few moves the dashboard test makes: open a page, wait for a condition, take a screenshot
 * into {@code farm.ui.screenshots}.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private final ChromeDriver driver;
  private final Path screenshots;

  private Browser(ChromeDriver driver, Path screenshots) {
    this.driver = driver;
    this.screenshots = screenshots;
  }

  /** Whether this machine has the Debian packages. */
  static boolean installed() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  }

  static Browser start(int width, int height) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=" + width + "," + height);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    Path dir = Path.of(System.getProperty("farm.ui.screenshots", "target/screenshots"));
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Browser(new ChromeDriver(service, options), dir);
  }

  void open(String url) {
    driver.get(url);
  }

  /** Moves the dashboard's router to {@code #/...}. */
  void go(String hash) {
    script("location.hash = arguments[0];", hash);
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  List<WebElement> findAll(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Waits until the element exists and is displayed. */
  WebElement await(String css, Duration timeout) {
    return until(
        d -> {
          List<WebElement> found = d.findElements(By.cssSelector(css));
          return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        },
        timeout);
  }

  <T> T until(Function<WebDriver, T> condition, Duration timeout) {
    // the dashboard re-renders lists while it refreshes them: an element found a moment ago may
    // be gone; the condition is simply asked again
    return new WebDriverWait(driver, timeout, Duration.ofMillis(200))
        .ignoring(StaleElementReferenceException.class)
        .until(condition);
  }

  /**
   * Clicks the first element matching {@code css} once it exists, asking again when a refresh
   * replaced it in between; returns its {@code attribute} as it was when clicked.
   */
  String click(String css, String attribute, Duration timeout) {
    return until(
        d -> {
          List<WebElement> found = d.findElements(By.cssSelector(css));
          if (found.isEmpty()) {
            return null;
          }
          WebElement e = found.get(0);
          String value = attribute == null ? "" : e.getAttribute(attribute);
          e.click();
          return value == null ? "" : value;
        },
        timeout);
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  void resize(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
  }

  String url() {
    return driver.getCurrentUrl();
  }

  /** Saves a PNG of the viewport as {@code <name>.png}; returns its path. */
  Path screenshot(String name) {
    Path file = screenshots.resolve(name + ".png");
    try {
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Where the browser is and what it shows, with its console: for a failing test's message. */
  String describe() {
    StringBuilder b = new StringBuilder("at ").append(driver.getCurrentUrl()).append('\n');
    try {
      b.append(script("return document.body ? document.body.innerText : '(no body)';"));
      driver
          .manage()
          .logs()
          .get(LogType.BROWSER)
          .forEach(
              e -> b.append("\nconsole ").append(e.getLevel()).append(' ').append(e.getMessage()));
    } catch (RuntimeException e) {
      b.append("\n(").append(e).append(')');
    }
    return b.toString();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
