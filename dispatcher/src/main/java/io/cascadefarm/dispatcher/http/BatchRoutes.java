package io.cascadefarm.dispatcher.http;

import io.cascadefarm.dispatcher.api.NdjsonLines;
import io.cascadefarm.dispatcher.ops.DispatcherMetrics;
import io.cascadefarm.dispatcher.service.BatchAccepted;
import io.cascadefarm.dispatcher.service.JobQueries;
import io.cascadefarm.dispatcher.service.JobSubmitter;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * Routes of batches: submit (JSON envelope, or NDJSON when the Content-Type is {@code
 * application/x-ndjson}), read counts, page jobs, cancel, retry.
 */
final class BatchRoutes {
  private final Handlers h;
  private final JobSubmitter submitter;
  private final JobQueries queries;
  private final DispatcherMetrics metrics;
  private final BodyLimits bodies;

  BatchRoutes(
      Handlers h,
      JobSubmitter submitter,
      JobQueries queries,
      DispatcherMetrics metrics,
      BodyLimits bodies) {
    this.h = h;
    this.submitter = submitter;
    this.queries = queries;
    this.metrics = metrics;
    this.bodies = bodies;
  }

  void mount(Router r) {
    r.post("/v1/batches").handler(bodies.batch()).handler(h.guarded(this::submit));
    r.get("/v1/batches/:id").handler(h.guarded(this::get));
    r.get("/v1/batches/:id/jobs").handler(h.guarded(this::jobs));
    r.post("/v1/batches/:id/cancel").handler(h.guarded(this::cancel));
    r.post("/v1/batches/:id/retry").handler(h.guarded(this::retry));
  }

  static boolean isNdjson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String ct = contentType.toLowerCase(java.util.Locale.ROOT);
    return ct.startsWith("application/x-ndjson")
        || ct.startsWith("application/ndjson")
        || ct.startsWith("application/jsonl");
  }

  private void submit(RoutingContext ctx) {
    String tenant = h.tenant(ctx);
    boolean partial = Handlers.flag(ctx, "partial");
    NdjsonLines lines = ctx.get(RequestBody.NDJSON);
    byte[] body = Handlers.body(ctx);
    String key = ctx.request().getHeader("Idempotency-Key");
    h.blocking(
        ctx,
        () ->
            lines != null
                ? submitter.submitNdjson(lines, partial, tenant, key)
                : submitter.submitBatch(body, false, partial, tenant, key),
        (c, a) -> {
          if (!a.replayed()) {
            metrics.jobsAccepted(a.summary().jobCount());
          }
          String id = a.summary().id().toString();
          c.response().putHeader("Location", "/v1/batches/" + id);
          h.out.json(
              c,
              a.replayed() ? 200 : 202,
              new BatchAccepted(
                  a.summary().id(),
                  a.summary().jobCount(),
                  a.rejected().badItemCount(),
                  a.rejected().listed(),
                  "/v1/batches/" + id,
                  "/v1/batches/" + id + "/jobs",
                  "/v1/events?batch=" + id));
        });
  }

  private void get(RoutingContext ctx) {
    String tenant = h.tenant(ctx);
    String id = ctx.pathParam("id");
    h.blocking(ctx, () -> queries.batch(id, tenant), (c, v) -> h.out.json(c, 200, v));
  }

  private void jobs(RoutingContext ctx) {
    String tenant = h.tenant(ctx);
    String id = ctx.pathParam("id");
    String status = ctx.request().getParam("status");
    String limit = ctx.request().getParam("limit");
    String after = ctx.request().getParam("after");
    h.blocking(
        ctx,
        () -> queries.batchJobs(id, tenant, status, limit, after),
        (c, page) -> h.out.json(c, 200, page));
  }

  private void cancel(RoutingContext ctx) {
    String tenant = h.tenant(ctx);
    String id = ctx.pathParam("id");
    h.blocking(
        ctx,
        () -> queries.cancelBatch(id, tenant),
        (c, n) -> h.out.json(c, 200, Map.of("cancelled", n)));
  }

  private void retry(RoutingContext ctx) {
    String tenant = h.tenant(ctx);
    String id = ctx.pathParam("id");
    boolean cancelled = Handlers.flag(ctx, "include_cancelled");
    h.blocking(
        ctx,
        () -> queries.retryBatch(id, tenant, cancelled),
        (c, n) -> {
          metrics.requeuedByApi(n);
          h.out.json(c, 200, Map.of("requeued", n));
        });
  }
}
