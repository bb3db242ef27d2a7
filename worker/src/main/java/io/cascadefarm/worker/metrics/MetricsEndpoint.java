package io.cascadefarm.worker.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/**
 * Serves {@code GET /metrics} in the Prometheus text format on a port (0 picks a free one), and
 * {@code GET /health} for a liveness probe: 200 {@code ok}, or 503 {@code render_stuck} while a
 * render that passed {@code farm.worker.render-timeout} has not returned (its thread is stuck, e.g.
 * in native code, and only a restart frees the worker).
 */
public final class MetricsEndpoint implements AutoCloseable {
  private final HttpServer server;

  private MetricsEndpoint(HttpServer server) {
    this.server = server;
  }

  public static MetricsEndpoint start(int port, PrometheusMeterRegistry registry) {
    return start(port, registry, () -> 0);
  }

  /** Also serves {@code /health}, unhealthy while {@code stuckRenders} is above zero. */
  public static MetricsEndpoint start(
      int port, PrometheusMeterRegistry registry, IntSupplier stuckRenders) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
      server.createContext("/metrics", exchange -> respond(exchange, registry));
      server.createContext("/health", exchange -> health(exchange, stuckRenders.getAsInt()));
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

  private static void health(HttpExchange exchange, int stuck) throws IOException {
    byte[] body = (stuck > 0 ? "render_stuck\n" : "ok\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(stuck > 0 ? 503 : 200, body.length);
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
