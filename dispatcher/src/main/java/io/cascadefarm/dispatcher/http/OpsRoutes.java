package io.cascadefarm.dispatcher.http;

import io.cascadefarm.common.config.ApiLimits;
import io.cascadefarm.dispatcher.api.OpenApiDocument;
import io.cascadefarm.dispatcher.ops.DispatcherMetrics;
import io.cascadefarm.dispatcher.ops.ReadinessProbe;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /healthz} (the process answers and its outbox relay and lease reaper are alive), {@code
 * /readyz} (PostgreSQL answers; Kafka down is reported as degraded; else 503 with Retry-After),
 * {@code /metrics} (Prometheus text) and {@code /openapi.json} ({@link OpenApiDocument}).
 */
final class OpsRoutes {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OpsRoutes.class);
  private final Handlers h;
  private final DispatcherMetrics metrics;
  private final List<ReadinessProbe> probes;
  private final Buffer openapi;
  private final java.util.function.Supplier<Map<String, String>> liveness;

  OpsRoutes(
      Handlers h,
      DispatcherMetrics metrics,
      List<ReadinessProbe> probes,
      ApiLimits limits,
      java.util.function.Supplier<Map<String, String>> liveness) {
    this.liveness = liveness;
    this.h = h;
    this.metrics = metrics;
    this.probes = List.copyOf(probes);
    this.openapi = Buffer.buffer(OpenApiDocument.bytes(limits));
  }

  void mount(Router r) {
    r.get("/healthz").handler(this::health);
    r.get("/readyz").handler(this::ready);
    r.get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.scrape()));
    r.get("/openapi.json")
        .handler(ctx -> ctx.response().putHeader("Content-Type", Responses.JSON).end(openapi));
  }

  /** 200 while the process and its background loops live; 503 naming a stalled or dead loop. */
  private void health(RoutingContext ctx) {
    Map<String, String> loops = liveness.get();
    boolean ok = loops.values().stream().allMatch("ok"::equals);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", ok ? "ok" : "unhealthy");
    if (!loops.isEmpty()) {
      body.put("loops", loops);
    }
    h.out.json(ctx, ok ? 200 : 503, body);
  }

  /**
   * 200 while every required dependency answers (PostgreSQL); a dependency the API degrades without
   * (Kafka) is reported as {@code unavailable} under {@code degraded} but keeps the dispatcher
   * ready, as documented ("Kafka down: 202, jobs wait in the outbox"). The answer never carries
   * exception text (it is unauthenticated); the cause is logged.
   */
  private void ready(RoutingContext ctx) {
    h.blocking(
        ctx,
        () -> {
          Map<String, String> checks = new LinkedHashMap<>();
          for (ReadinessProbe p : probes) {
            checks.put(p.name(), run(p));
          }
          return checks;
        },
        (c, checks) -> {
          boolean ok = true;
          List<String> degraded = new java.util.ArrayList<>();
          for (ReadinessProbe p : probes) {
            if (!"ok".equals(checks.get(p.name()))) {
              if (p.required()) {
                ok = false;
              } else {
                degraded.add(p.name());
              }
            }
          }
          if (!ok) {
            c.response().putHeader("Retry-After", "5");
          }
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("status", ok ? "ready" : "unready");
          body.put("checks", checks);
          body.put("degraded", degraded);
          h.out.json(c, ok ? 200 : 503, body);
        });
  }

  private static String run(ReadinessProbe p) {
    try {
      p.check();
      return "ok";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (Exception | Error e) { // NOPMD: a probe must never fail the answer
      LOG.warn("readiness check {} failed: {}", p.name(), e.toString());
      return e instanceof java.util.concurrent.TimeoutException ? "timeout" : "unavailable";
    }
  }
}
