package io.cascadefarm.worker.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Serves {@code GET /metrics} in the Prometheus text format on a port (0 picks a free one), and
 * {@code GET /health} for a liveness probe: 200 {@code ok}, or 503 with the problem: {@code
 * render_stuck} while a render that passed {@code farm.worker.render-timeout} has not returned (its
 * thread is stuck, e.g. in native code, and only a restart frees the worker), or {@code
 * numerics_selfcheck_failed: <summary>} when this host's native kernels compute wrong numbers (the
 * worker takes no jobs; see docs/reliability.md, "Numerics").
 */
public final class MetricsEndpoint implements AutoCloseable {
  private final HttpServer server;

  private MetricsEndpoint(HttpServer server) {
    this.server = server;
  }

  public static MetricsEndpoint start(int port, PrometheusMeterRegistry registry) {
    return start(port, registry, () -> null);
  }

  /** Also serves {@code /health}: unhealthy while {@code problem} returns non-null. */
  public static MetricsEndpoint start(
      int port, PrometheusMeterRegistry registry, Supplier<String> problem) {
    return start(port, registry, problem, () -> null);
  }

  /**
   * As {@link #start(int, PrometheusMeterRegistry, Supplier)}; while {@code notice} returns
   * non-null (and there is no problem) {@code /health} answers 200 with it instead of {@code ok},
   * e.g. {@code quarantined: <reason>}.
   */
  public static MetricsEndpoint start(
      int port,
      PrometheusMeterRegistry registry,
      Supplier<String> problem,
      Supplier<String> notice) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
      server.createContext("/metrics", exchange -> respond(exchange, registry));
      server.createContext("/health", exchange -> health(exchange, problem.get(), notice.get()));
      server.start();
      return new MetricsEndpoint(server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on port " + port, e);
    }
  }

  private static void respond(HttpExchange exchange, PrometheusMeterRegistry registry)
      throws IOException {
    byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static void health(HttpExchange exchange, String problem, String notice)
      throws IOException {
    String text = problem != null ? problem : notice != null ? notice : "ok";
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(problem != null ? 503 : 200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
