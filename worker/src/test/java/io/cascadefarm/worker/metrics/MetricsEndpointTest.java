package io.cascadefarm.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
  @Test
  void servesTheWorkerMetricsInPrometheusFormat() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    WorkerMetrics m = new WorkerMetrics(registry, "w9");
    m.rendered();
    m.renderTook(Duration.ofMillis(1500), 3);
    m.modelLoaded("tiny", Duration.ofMillis(20));
    m.renderTimedOut();
    m.renderStuck();
    try (MetricsEndpoint endpoint = MetricsEndpoint.start(0, registry)) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      String body = r.body();
      assertTrue(body.contains("farm_worker_jobs_rendered_total{worker=\"w9\"} 1.0"), body);
      assertTrue(body.contains("farm_worker_batch_size_sum{worker=\"w9\"} 3.0"), body);
      assertTrue(body.contains("farm_worker_render_timeouts_total{worker=\"w9\"} 1.0"), body);
      assertTrue(body.contains("farm_worker_render_stuck{worker=\"w9\"} 1.0"), body);
      assertTrue(body.contains("farm_worker_render_seconds_count{worker=\"w9\"} 1"), body);
      assertTrue(
          body.contains("farm_worker_model_load_seconds_count{model=\"tiny\",worker=\"w9\"} 1"),
          body);
    }
  }

  @Test
  void healthIsOkUntilARenderIsStuck() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    WorkerMetrics m = new WorkerMetrics(registry, "w9");
    try (MetricsEndpoint endpoint = MetricsEndpoint.start(0, registry, m::healthProblem)) {
      URI health = URI.create("http://127.0.0.1:" + endpoint.port() + "/health");
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> ok =
          http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ok.statusCode());
      m.renderStuck();
      HttpResponse<String> stuck =
          http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(503, stuck.statusCode());
      assertEquals("render_stuck\n", stuck.body());
    }
  }

  @Test
  void healthAndAGaugeReportAFailedNumericsSelfCheck() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    WorkerMetrics m = new WorkerMetrics(registry, "w9");
    try (MetricsEndpoint endpoint = MetricsEndpoint.start(0, registry, m::healthProblem)) {
      URI health = URI.create("http://127.0.0.1:" + endpoint.port() + "/health");
      HttpClient http = HttpClient.newHttpClient();
      assertTrue(
          registry.scrape().contains("farm_worker_numerics_selfcheck{worker=\"w9\"} -1.0"),
          registry.scrape());
      m.numericsChecked("numerics self-check FAIL on cpu(): conv2d 2x24x5x7->24");
      HttpResponse<String> bad =
          http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(503, bad.statusCode());
      assertEquals(
          "numerics_selfcheck_failed: numerics self-check FAIL on cpu(): conv2d 2x24x5x7->24\n",
          bad.body());
      assertTrue(
          registry.scrape().contains("farm_worker_numerics_selfcheck{worker=\"w9\"} 0.0"),
          registry.scrape());
    }
  }
}
