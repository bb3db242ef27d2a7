package io.cascadefarm.dispatcher.http;

import io.cascadefarm.common.config.ApiLimits;
import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.api.FieldError;
import io.cascadefarm.dispatcher.events.EventHub;
import io.cascadefarm.dispatcher.ops.DispatcherMetrics;
import io.cascadefarm.dispatcher.ops.ReadinessProbe;
import io.cascadefarm.dispatcher.service.JobQueries;
import io.cascadefarm.dispatcher.service.JobSubmitter;
import io.cascadefarm.dispatcher.upload.ImageUploads;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Builds the router of API v1. Every answer the router itself produces (unknown path 404, wrong
 * method 405, body too large 413, malformed request 400) uses the JSON error shape too.
 */
public final class HttpApi {
  private HttpApi() {}

  /** The services a router needs. */
  public record Services(
      JobSubmitter submitter,
      JobQueries queries,
      ImageUploads uploads,
      EventHub hub,
      DispatcherMetrics metrics,
      List<ReadinessProbe> probes,
      TenantResolver tenants,
      ApiLimits limits,
      java.util.function.Supplier<java.util.Map<String, String>> liveness,
      int maxStreamsPerTenant) {

    public Services(
        JobSubmitter submitter,
        JobQueries queries,
        ImageUploads uploads,
        EventHub hub,
        DispatcherMetrics metrics,
        List<ReadinessProbe> probes,
        TenantResolver tenants,
        ApiLimits limits) {
      this(
          submitter,
          queries,
          uploads,
          hub,
          metrics,
          probes,
          tenants,
          limits,
          java.util.Map::of,
          32);
    }
  }

  /** The services of the workers, queue and history routes (issue 13); see {@link AdminRoutes}. */
  public record Admin(
      io.cascadefarm.dispatcher.admin.WorkersService workers,
      io.cascadefarm.dispatcher.admin.QueueService queues,
      io.cascadefarm.dispatcher.admin.JobHistory history) {}

  public static Router router(Vertx vertx, Services s) {
    return router(vertx, s, null, null);
  }

  /**
   * Issue 12's services for {@link ScaleRoutes}: any may be null (its routes are not mounted);
   * {@code listing} also adds the queue estimate to {@code GET /v1/jobs/{id}}.
   */
  public record ScaleServices(
      io.cascadefarm.dispatcher.service.ListingService listing,
      io.cascadefarm.dispatcher.service.BulkResults bulk,
      io.cascadefarm.dispatcher.service.WebhookAdmin webhooks,
      io.cascadefarm.dispatcher.service.ModelsService models) {}

  /** The router with issue 12's routes ({@code scale} null: none of them). */
  public static Router router(Vertx vertx, Services s, ScaleServices scale) {
    return router(vertx, s, scale, null);
  }

  /** The router with the admin routes too ({@code admin} null: without them). */
  public static Router router(Vertx vertx, Services s, Admin admin) {
    return router(vertx, s, null, admin);
  }

  /** The router with issue 12's routes and the admin routes (either null: without them). */
  public static Router router(Vertx vertx, Services s, ScaleServices scale, Admin admin) {
    ScaleServices x = scale == null ? new ScaleServices(null, null, null, null) : scale;
    Responses out = new Responses(s.metrics());
    Handlers h =
        new Handlers(
            out,
            s.tenants(),
            vertx.createSharedWorkerExecutor(
                "farm-objects", 8, 2, java.util.concurrent.TimeUnit.MINUTES));
    BodyLimits bodies = new BodyLimits(s.limits(), out);
    Router r = Router.router(vertx);
    r.route().handler(ctx -> timed(ctx, s.metrics()));
    r.route("/v1/*")
        .handler(
            new io.cascadefarm.dispatcher.auth.AuthHandler(
                s.tenants(),
                out,
                vertx.createSharedWorkerExecutor(
                    "farm-auth", 4, 1, java.util.concurrent.TimeUnit.MINUTES)));
    new JobRoutes(
            h,
            s.submitter(),
            s.queries(),
            s.metrics(),
            bodies,
            x.listing() == null ? v -> v : x.listing()::withQueue)
        .mount(r);
    new ScaleRoutes(
            h,
            new ScaleRoutes.Services(x.listing(), x.bulk(), x.webhooks(), x.models(), s.queries()),
            vertx.createSharedWorkerExecutor(
                "farm-bulk", ScaleRoutes.STREAMS, 6, java.util.concurrent.TimeUnit.HOURS))
        .mount(r);
    new BatchRoutes(h, s.submitter(), s.queries(), s.metrics(), bodies).mount(r);
    new UploadRoutes(h, s.uploads(), bodies).mount(r);
    new TrainingRoutes(h, s.uploads().objects(), s.limits(), bodies).mount(r);
    new EventRoutes(h, s.queries(), s.hub(), s.maxStreamsPerTenant()).mount(r);
    new OpsRoutes(h, s.metrics(), s.probes(), s.limits(), s.liveness()).mount(r);
    if (admin != null) {
      new AdminRoutes(h, admin.workers(), admin.queues(), admin.history()).mount(r);
    }
    UiRoutes.mount(r);
    r.route().failureHandler(ctx -> failure(ctx, out, s.limits()));
    r.errorHandler(
        404,
        ctx ->
            out.error(
                ctx,
                routerError(
                    404,
                    "not_found",
                    "path",
                    "no such route: " + ctx.request().method() + " " + ctx.request().path())));
    r.errorHandler(
        405,
        ctx ->
            out.error(
                ctx,
                routerError(
                    405,
                    "method_not_allowed",
                    "method",
                    ctx.request().method() + " is not allowed on " + ctx.request().path())));
    r.errorHandler(500, ctx -> out.fail(ctx, ctx.failure()));
    return r;
  }

  private static void timed(RoutingContext ctx, DispatcherMetrics metrics) {
    long start = System.nanoTime();
    ctx.addBodyEndHandler(
        v -> {
          String route =
              ctx.currentRoute() != null && ctx.currentRoute().getPath() != null
                  ? ctx.currentRoute().getPath()
                  : "unmatched";
          metrics.request(
              ctx.request().method().name(),
              route,
              ctx.response().getStatusCode(),
              java.time.Duration.ofNanos(System.nanoTime() - start));
        });
    ctx.next();
  }

  private static void failure(RoutingContext ctx, Responses out, ApiLimits limits) {
    if (ctx.failure() != null) {
      out.fail(ctx, ctx.failure());
      return;
    }
    int status = ctx.statusCode();
    if (status == 413) {
      long max =
          ctx.request().path().startsWith("/v1/uploads")
                  || ctx.request().path().startsWith("/v1/loras")
              ? limits.maxUploadBytes()
              : limits.maxBodyBytes();
      out.error(ctx, routerError(413, "too_large", "body", "is larger than " + max + " bytes"));
    } else if (status >= 400 && status < 500) {
      out.error(ctx, routerError(status, "bad_request", "request", "malformed request"));
    } else {
      out.fail(ctx, new IllegalStateException("routing failed with status " + status));
    }
  }

  private static ApiException routerError(int status, String code, String field, String message) {
    return new ApiException(status, code, message, List.of(new FieldError(field, message)), 0);
  }
}
