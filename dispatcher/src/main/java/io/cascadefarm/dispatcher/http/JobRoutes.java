package io.cascadefarm.dispatcher.http;

import io.cascadefarm.common.port.Submission;
import io.cascadefarm.dispatcher.ops.DispatcherMetrics;
import io.cascadefarm.dispatcher.service.JobQueries;
import io.cascadefarm.dispatcher.service.JobSubmitter;
import io.cascadefarm.dispatcher.service.JobView;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * Routes of single jobs: submit, read, cancel, retry, image redirect, image and live preview
 * streaming.
 */
final class JobRoutes {
  private final Handlers h;
  private final JobSubmitter submitter;
  private final JobQueries queries;
  private final DispatcherMetrics metrics;
  private final BodyLimits bodies;
  private final java.util.function.UnaryOperator<JobView> queue;

  JobRoutes(
      Handlers h,
      JobSubmitter submitter,
      JobQueries queries,
      DispatcherMetrics metrics,
      BodyLimits bodies,
      java.util.function.UnaryOperator<JobView> queue) {
    this.queue = queue;
    this.h = h;
    this.submitter = submitter;
    this.queries = queries;
    this.metrics = metrics;
    this.bodies = bodies;
  }

  void mount(Router r) {
    r.post("/v1/jobs").handler(bodies.json()).handler(h.guarded(this::submit));
    r.get("/v1/jobs/:id").handler(h.guarded(this::get));
    r.get("/v1/jobs/:id/image").handler(h.guarded(this::image));
    r.get("/v1/jobs/:id/images/:n").handler(h.guarded(this::imageBytes));
    r.get("/v1/jobs/:id/preview").handler(h.guarded(this::preview));
    r.post("/v1/jobs/:id/cancel").handler(h.guarded(this::cancel));
    r.post("/v1/jobs/:id/retry").handler(h.guarded(this::retry));
  }

  private void submit(RoutingContext ctx) {
    String tenant = h.tenant(ctx);
    String key = ctx.request().getHeader("Idempotency-Key");
    byte[] body = Handlers.body(ctx);
    io.cascadefarm.dispatcher.auth.Principal who =
        ctx.get(io.cascadefarm.dispatcher.auth.AuthHandler.PRINCIPAL);
    java.util.Set<String> scopes =
        who == null ? io.cascadefarm.common.port.Scopes.DEFAULT : who.scopes();
    h.blocking(
        ctx,
        () -> submitter.submitJob(body, key, tenant, scopes),
        (c, s) -> {
          if (!s.replayed()) {
            metrics.jobsAccepted(1);
          }
          c.response().putHeader("Location", "/v1/jobs/" + s.job().id());
          h.out.json(c, s.replayed() ? 200 : 202, view(s));
        });
  }

  private JobView view(Submission s) {
    return queries.view(s.job());
  }

  private void get(RoutingContext ctx) {
    String tenant = h.tenant(ctx);
    String id = ctx.pathParam("id");
    h.blocking(ctx, () -> queue.apply(queries.job(id, tenant)), (c, v) -> h.out.json(c, 200, v));
  }

  private void image(RoutingContext ctx) {
    String tenant = h.tenant(ctx);
    String id = ctx.pathParam("id");
    String n = ctx.request().getParam("n");
    h.blocking(
        ctx,
        () -> queries.imageUrl(id, tenant, n),
        (c, url) -> c.response().setStatusCode(302).putHeader("Location", url.toString()).end());
  }

  /**
   * Streams result image {@code n} from S3 through the API (behind the API key, tenant-checked):
   * the URL of every image in proxy mode ({@code farm.results.delivery=proxy}), available in both.
   */
  private void imageBytes(RoutingContext ctx) {
    String tenant = h.tenant(ctx);
    String id = ctx.pathParam("id");
    String n = ctx.pathParam("n");
    h.blocking(
        ctx,
        () -> queries.imageBytes(id, tenant, n),
        (c, png) ->
            c.response()
                .setStatusCode(200)
                .putHeader(
                    "Content-Type",
                    png.length > 8 && png[0] == (byte) 0x89 && png[1] == 'P'
                        ? "image/png"
                        : "application/octet-stream")
                .putHeader("Cache-Control", "private, max-age=3600")
                .end(io.vertx.core.buffer.Buffer.buffer(png)));
  }

  /** The latest live preview, streamed like a result image; never cached (it changes). */
  private void preview(RoutingContext ctx) {
    String tenant = h.tenant(ctx);
    String id = ctx.pathParam("id");
    h.blocking(
        ctx,
        () -> queries.preview(id, tenant),
        (c, png) ->
            c.response()
                .setStatusCode(200)
                .putHeader("Content-Type", "image/png")
                .putHeader("Cache-Control", "no-store")
                .end(io.vertx.core.buffer.Buffer.buffer(png)));
  }

  private void cancel(RoutingContext ctx) {
    String tenant = h.tenant(ctx);
    String id = ctx.pathParam("id");
    h.blocking(ctx, () -> queries.cancel(id, tenant), (c, v) -> h.out.json(c, 200, v));
  }

  private void retry(RoutingContext ctx) {
    String tenant = h.tenant(ctx);
    String id = ctx.pathParam("id");
    boolean cancelled = Handlers.flag(ctx, "include_cancelled");
    h.blocking(
        ctx,
        () -> queries.retry(id, tenant, cancelled),
        (c, n) -> {
          metrics.requeuedByApi(n);
          h.out.json(c, 200, Map.of("requeued", n));
        });
  }
}
