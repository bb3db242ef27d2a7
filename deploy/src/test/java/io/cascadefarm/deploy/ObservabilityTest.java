package io.cascadefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.cli.farm.StandaloneFarm;
import io.cascadefarm.cli.farm.StandaloneOptions;
import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.common.json.Json;
import io.cascadefarm.worker.WorkerProcess;
import io.cascadefarm.worker.cascade.CascadeRenderer;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric the Grafana dashboard (deploy/grafana) and the alert rules (deploy/prometheus) use
 * is exported by a running farm: a standalone farm (embedded Kafka, PostgreSQL, S3, the API) plus a
 * worker process serving its own /metrics renders a tiny job, then both /metrics endpoints are
 * scraped. Every alert has a runbook section in docs/operations.md.
 */
class ObservabilityTest {
  static final Pattern METRIC = Pattern.compile("\\b(farm_[a-z0-9_]+)\\b");

  @Test
  void everyMetricOfTheDashboardAndTheAlertsIsExportedByARunningFarm(@TempDir Path dir)
      throws Exception {
    Set<String> used = new TreeSet<>();
    for (String expr : dashboardExpressions()) {
      used.addAll(metrics(expr));
    }
    for (String expr : ruleExpressions()) {
      used.addAll(metrics(expr));
    }
    assertTrue(used.size() > 15, "metrics used: " + used);

    StandaloneOptions o =
        StandaloneOptions.ephemeral(dir.resolve("farm"), 0, null)
            .withSettings(
                Map.of(
                    "farm.results.ttl",
                    "30d",
                    "farm.models.dir",
                    dir.resolve("models").toString()));
    try (StandaloneFarm farm =
        StandaloneFarm.start(o, new PrintStream(PrintStream.nullOutputStream()))) {
      Properties p = new Properties();
      try (var in = Files.newInputStream(farm.propertiesFile())) {
        p.load(in);
      }
      Map<String, String> settings = new java.util.HashMap<>();
      p.forEach((k, v) -> settings.put((String) k, (String) v));
      int metricsPort;
      try (ServerSocket s = new ServerSocket(0)) {
        metricsPort = s.getLocalPort();
      }
      settings.put("farm.worker.metrics-port", Integer.toString(metricsPort));
      settings.put("farm.worker.id", "observed");
      settings.put("farm.models.dir", dir.resolve("models").toString());
      settings.put("farm.worker.batch-wait", "10ms");
      WorkerConfig wc = WorkerConfig.from(ConfigSource.of(settings));
      CascadeRenderer renderer = CascadeRenderer.open(wc);
      HttpClient http = HttpClient.newHttpClient();
      try (WorkerProcess worker = WorkerProcess.start(wc, renderer)) {
        String api = farm.apiUrl();
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(api + "/v1/jobs"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"prompt\":\"observed\",\"model\":\"tiny\",\"width\":64,"
                                + "\"height\":64}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
        String id = Json.mapper().readTree(r.body()).path("id").asText();
        String status = "";
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline && !status.equals("succeeded")) {
          JsonNode j = Json.mapper().readTree(get(http, api + "/v1/jobs/" + id));
          status = j.path("status").asText();
          assertTrue(!status.equals("failed"), j.toString());
          Thread.sleep(300);
        }
        assertEquals("succeeded", status);
        get(http, api + "/v1/no-such-route"); // a 404, so error series exist
        Thread.sleep(1000); // the render metrics are recorded right after completion
        String scraped =
            get(http, api + "/metrics")
                + "\n"
                + get(http, "http://127.0.0.1:" + metricsPort + "/metrics");
        Set<String> exported = exported(scraped);
        List<String> missing = new ArrayList<>();
        for (String m : used) {
          if (!exported.contains(m)) {
            missing.add(m);
          }
        }
        assertTrue(
            missing.isEmpty(),
            "used by the dashboard/alerts but not exported: "
                + missing
                + "\nexported: "
                + exported);
        assertTrue(
            scraped.contains("farm_worker_numerics_selfcheck{worker=\"observed\"} 1.0"),
            "the worker passed its self-check and says so");
      } finally {
        renderer.close();
      }
    }
  }

  @Test
  void everyAlertHasARunbookSection() throws Exception {
    String runbook = Files.readString(DeployFiles.ROOT.resolve("docs/operations.md"));
    Map<String, Object> rules = DeployFiles.yamlDocuments(rulesFile()).get(0);
    int alerts = 0;
    for (Object g : (List<?>) rules.get("groups")) {
      for (Object r : (List<?>) ((Map<?, ?>) g).get("rules")) {
        Map<?, ?> rule = (Map<?, ?>) r;
        String name = String.valueOf(rule.get("alert"));
        assertTrue(runbook.contains("## " + name), "docs/operations.md has no section ## " + name);
        String link = String.valueOf(((Map<?, ?>) rule.get("annotations")).get("runbook"));
        assertEquals("docs/operations.md#" + name.toLowerCase(java.util.Locale.ROOT), link);
        alerts++;
      }
    }
    assertTrue(alerts >= 6, "alerts: " + alerts);
  }

  static Path rulesFile() {
    return DeployFiles.ROOT.resolve("deploy/prometheus/farm-alerts.yml");
  }

  static List<String> dashboardExpressions() throws Exception {
    JsonNode d =
        Json.mapper()
            .readTree(
                Files.readString(DeployFiles.ROOT.resolve("deploy/grafana/cascade-farm.json")));
    List<String> out = new ArrayList<>();
    d.findValues("expr").forEach(e -> out.add(e.asText()));
    assertTrue(out.size() > 10, "dashboard expressions: " + out.size());
    return out;
  }

  static List<String> ruleExpressions() {
    List<String> out = new ArrayList<>();
    Map<String, Object> rules = DeployFiles.yamlDocuments(rulesFile()).get(0);
    for (Object g : (List<?>) rules.get("groups")) {
      for (Object r : (List<?>) ((Map<?, ?>) g).get("rules")) {
        out.add(String.valueOf(((Map<?, ?>) r).get("expr")));
      }
    }
    return out;
  }

  static Set<String> metrics(String expr) {
    Set<String> out = new TreeSet<>();
    Matcher m = METRIC.matcher(expr);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** Names of every sample in a Prometheus text exposition. */
  static Set<String> exported(String text) {
    Set<String> out = new TreeSet<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int end = 0;
      while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
        end++;
      }
      out.add(line.substring(0, end));
    }
    return out;
  }

  static String get(HttpClient http, String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
