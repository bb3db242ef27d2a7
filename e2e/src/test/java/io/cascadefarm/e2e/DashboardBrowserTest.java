package io.cascadefarm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.cli.client.ApiClient;
import io.cascadefarm.cli.farm.FarmRenderers;
import io.cascadefarm.cli.farm.StandaloneFarm;
import io.cascadefarm.cli.farm.StandaloneOptions;
import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.config.DbSettings;
import io.cascadefarm.common.config.RegistrySettings;
import io.cascadefarm.common.config.TenantSettings;
import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.common.json.Json;
import io.cascadefarm.common.port.ApiKey;
import io.cascadefarm.common.port.Scopes;
import io.cascadefarm.db.Database;
import io.cascadefarm.dispatcher.auth.ApiKeySecrets;
import io.cascadefarm.worker.cascade.CascadeRenderer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

/**
 * Issue 13's dashboard in a real browser: headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}) driven by Selenium against a standalone farm (real embedded Kafka, PostgreSQL,
 * S3; two in-process workers with the tiny model; authentication on). Without a key the dashboard
 * asks for one; with an admin key the operator submits a batch through the form, watches its
 * progress bar reach 100 %, opens a job and sees its image, retries the failed job (the {@link
 * FlakyRenderer} fails seed 7 once) until it succeeds, watches a job with {@code preview_every}
 * show its live preview while it renders (the {@link WatchedPreviewRenderer} holds it until the
 * page is open and slows its Stage C steps) and then its image, drains a worker on the workers
 * page, sees the queue overview, checks that the batch page fits a phone's width, and sees a
 * refused key named as such. Screenshots go to {@code target/screenshots}.
 *
 * <p>{@code -Dfarm.ui.browser=skip} skips it on a machine without chromium-driver; by default a
 * missing browser fails the test (CI installs it: {@code .ci/run}).
 */
class DashboardBrowserTest {
  static final Duration RENDERS = Duration.ofMinutes(8);
  static final Duration UI = Duration.ofSeconds(30);
  @TempDir Path dataDir;

  @Test
  void operatorSubmitsWatchesOpensRetriesAndDrainsInChromium() throws Exception {
    assumeFalse("skip".equals(System.getProperty("farm.ui.browser")), "farm.ui.browser=skip");
    assertTrue(
        Browser.installed(),
        "the dashboard test needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install"
            + " chromium chromium-driver), or -Dfarm.ui.browser=skip");
    Map<String, String> settings = new HashMap<>(Models.TEST_SETTINGS);
    settings.put(TenantSettings.AUTH_ENABLED.name(), "true");
    settings.put(RegistrySettings.INTERVAL.name(), "1s");
    CascadeRenderer real = FarmRenderers.create(WorkerConfig.from(ConfigSource.of(settings)));
    WatchedPreviewRenderer renderer = new WatchedPreviewRenderer(new FlakyRenderer(real), 80);
    try (StandaloneFarm farm =
            StandaloneFarm.start(
                StandaloneOptions.ephemeral(dataDir, 2, renderer).withSettings(settings),
                System.out);
        Browser browser = Browser.start(1280, 900)) {
      try {
        String key = adminKey(farm);
        long t0 = System.nanoTime();

        // no key yet: the dashboard says it needs one and opens the key panel
        browser.open(farm.apiUrl() + "/ui/");
        WebElement banner = browser.await("#banner[data-kind=key]", UI);
        assertTrue(banner.getText().contains("API key"), banner.getText());
        browser.screenshot("01-no-key");
        browser.find("#key-input").sendKeys(key);
        browser.find("#key-save").click();
        browser.await("#view .empty", UI);
        assertTrue(browser.find("#view").getText().contains("No batches yet"));

        // the submit form: three 64 px jobs with seeds 5, 6, 7 (7 fails once)
        browser.go("#/submit");
        browser.await("#submit-form", UI);
        browser.find("#prompt").sendKeys("a lighthouse at dusk");
        set(browser, "#width", "64");
        set(browser, "#height", "64");
        set(browser, "#count", "3");
        set(browser, "#seed", "5");
        browser.script("document.getElementById('model').value = 'tiny';");
        browser.screenshot("02-submit-form");
        browser.find("#submit-btn").click();
        browser.until(d -> d.getCurrentUrl().contains("#/batch/"), UI);
        String batch = browser.url().replaceAll(".*#/batch/([^?]+).*", "$1");

        // the progress bar reaches 100 % (live over SSE)
        browser.until(
            d -> "100".equals(browser.find("#batch-progress").getAttribute("data-percent")),
            RENDERS);
        browser.until(d -> browser.findAll("#job-grid img.loaded").size() == 2, UI);
        browser.screenshot("03-batch-done");
        assertEquals("100 %", browser.find("#batch-progress-text").getText());
        browser.until(d -> "failed 1".equals(browser.find("[data-count=failed]").getText()), UI);
        browser.until(
            d -> "succeeded 2".equals(browser.find("[data-count=succeeded]").getText()), UI);

        // a succeeded job: its image, its parameters and its transitions with the worker
        browser.click("#job-grid a.tile[data-status=succeeded]", null, UI);
        browser.await("#job-images img.result-image.loaded", UI);
        assertEquals(
            64L,
            ((Number) browser.script("return document.querySelector('.result-image').naturalWidth"))
                .longValue());
        browser.until(d -> browser.findAll("#job-history tbody tr").size() >= 2, UI);
        assertFalse(
            browser.findAll("#job-history a[href='#/workers']").isEmpty(), "worker in history");
        browser.screenshot("04-job");

        // the failed job: its error, then Retry until it succeeds
        browser.go("#/batch/" + batch + "?status=failed");
        browser.click("#job-grid a.tile[data-status=failed]", null, UI);
        browser.await("#job-error .error-box", UI);
        assertTrue(browser.find("#job-error").getText().contains("injected_fault"));
        browser.until(d -> browser.find("#retry-job").isEnabled(), UI);
        browser.click("#retry-job", null, UI);
        browser.until(d -> "succeeded".equals(status(browser)), RENDERS);
        browser.await("#job-images img.result-image.loaded", UI);
        browser.screenshot("05-job-retried");

        // a running job with preview_every: its live preview shows, then the result replaces it
        ObjectNode liveJob =
            Json.mapper()
                .createObjectNode()
                .put("prompt", "a lighthouse, live")
                .put("model", "tiny")
                .put("width", 256)
                .put("height", 256)
                .put("seed", 11)
                .put("preview_every", 1);
        liveJob.putObject("prior").put("steps", 60);
        liveJob.putObject("decoder").put("steps", 2);
        String live =
            new ApiClient(farm.apiUrl(), key).postJson("/v1/jobs", liveJob).path("id").asText();
        browser.go("#/job/" + live);
        browser.until(d -> "running".equals(status(browser)), RENDERS); // held by the renderer
        browser.until(
            d -> browser.find("#preview-caption").getText().contains("waiting for the first"), UI);
        renderer.open();
        browser.await("#preview-image.loaded", UI);
        assertEquals(
            48L,
            ((Number)
                    browser.script("return document.getElementById('preview-image').naturalWidth"))
                .longValue(),
            "the Previewer's size for 256x256: 8x the 6x6 Stage C latent");
        browser.screenshot("05b-live-preview");
        browser.until(d -> "succeeded".equals(status(browser)), RENDERS);
        browser.await("#job-images img.result-image.loaded", UI);
        assertTrue(browser.findAll("#preview-image.loaded").isEmpty(), "preview gone when done");
        assertEquals(
            256L,
            ((Number) browser.script("return document.querySelector('.result-image').naturalWidth"))
                .longValue());

        // the workers page: two live workers, one drained by the operator
        browser.go("#/workers");
        browser.until(d -> browser.findAll("#workers tr[data-state=active]").size() == 2, UI);
        String drained = browser.click("#workers button.drain", "data-worker", UI);
        browser.until(
            d -> {
              var row = browser.findAll("#workers tr[data-worker='" + drained + "']");
              return !row.isEmpty() && "drained".equals(row.get(0).getAttribute("data-state"));
            },
            UI);
        browser.screenshot("06-workers");
        JsonNode w = new ApiClient(farm.apiUrl(), key).get("/v1/workers/" + drained);
        assertEquals("drained", w.path("state").asText(), w::toString);

        // the queue overview: the tenant's lanes and ETA, and (admin) every tenant's queues
        browser.go("#/queue");
        browser.await("#queue-cards #eta", UI);
        browser.until(
            d -> browser.find("#farm-queues").getText().contains("ui"), UI); // tenant "ui"
        browser.screenshot("07-queue");

        // a phone: the batch page fits the width
        browser.resize(390, 844);
        browser.go("#/batch/" + batch);
        browser.until(
            d -> "100".equals(browser.find("#batch-progress").getAttribute("data-percent")), UI);
        assertFalse(
            (Boolean)
                browser.script(
                    "return document.documentElement.scrollWidth > window.innerWidth + 1;"),
            "horizontal scrolling on a 390 px wide screen");
        browser.screenshot("08-phone-batch");

        // a revoked or unknown key: the dashboard says so and asks for another one
        browser.resize(1280, 900);
        browser.find("#key-button").click();
        set(browser, "#key-input", "cf_not-a-key");
        browser.find("#key-save").click();
        WebElement refused = browser.await("#banner[data-kind=key]", UI);
        assertTrue(refused.getText().contains("refused"), refused.getText());
        browser.screenshot("09-key-refused");
        System.out.printf(
            "dashboard browser test: %d s in Chromium%n",
            Duration.ofNanos(System.nanoTime() - t0).toSeconds());
      } catch (RuntimeException | AssertionError e) {
        browser.screenshot("failure");
        throw new AssertionError(e.getMessage() + "\n" + browser.describe(), e);
      }
    } finally {
      real.close();
    }
  }

  private static String status(Browser b) {
    var found = b.findAll("#job-info dd[data-field=status]");
    return found.isEmpty() ? "" : found.get(0).getText();
  }

  private static void set(Browser b, String css, String value) {
    WebElement input = b.find(css);
    input.clear();
    input.sendKeys(value);
  }

  /** A key with every scope, made the way {@code farm keys create --scopes} makes one. */
  private static String adminKey(StandaloneFarm farm) {
    String secret = ApiKeySecrets.generate();
    try (Database db =
        Database.create(DbSettings.from(ConfigSource.load(farm.propertiesFile(), Map.of())))) {
      ApiKey k = db.jobStore().createKey("ui", "browser", ApiKeySecrets.sha256Hex(secret));
      db.keyScopes().setScopes(k.id(), Set.copyOf(Scopes.ALL));
    }
    return secret;
  }
}
