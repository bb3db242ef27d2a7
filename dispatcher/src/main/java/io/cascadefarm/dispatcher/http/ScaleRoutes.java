package io.cascadefarm.dispatcher.http;

import io.cascadefarm.dispatcher.service.BulkResults;
import io.cascadefarm.dispatcher.service.JobQueries;
import io.cascadefarm.dispatcher.service.ListingService;
import io.cascadefarm.dispatcher.service.ModelsService;
import io.cascadefarm.dispatcher.service.WebhookAdmin;
import io.vertx.core.Context;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 12's routes: {@code GET /v1/jobs} and {@code GET /v1/batches} (listing), a batch's bulk
 * results ({@code results.jsonl}, {@code archive.zip}, streamed), the webhook secret and
 * deliveries, and {@code GET /v1/models}. Routes whose service is missing (a dispatcher without
 * PostgreSQL) are not mounted.
 */
final class ScaleRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(ScaleRoutes.class);

  /** Bulk downloads streamed at once per dispatcher; more wait for a free thread. */
  static final int STREAMS = 4;

  /** The services; any may be null (its routes are not mounted). */
  record Services(
      ListingService listing,
      BulkResults bulk,
      WebhookAdmin webhooks,
      ModelsService models,
      JobQueries queries) {}

  private final Handlers h;
  private final Services s;
  private final WorkerExecutor streams;

  ScaleRoutes(Handlers h, Services s, WorkerExecutor streams) {
    this.h = h;
    this.s = s;
    this.streams = streams;
  }

  /**
   * Mounts the routes whose services exist: without PostgreSQL (in-memory dispatchers) listing,
   * webhooks and models are not mounted, so they answer 404/405 like any unknown route.
   */
  void mount(Router r) {
    if (s.listing() != null) {
      r.get("/v1/jobs").handler(h.guarded(this::jobs));
      r.get("/v1/batches").handler(h.guarded(this::batches));
    }
    if (s.bulk() != null) {
      r.get("/v1/batches/:id/results.jsonl").handler(h.guarded(ctx -> bulk(ctx, false)));
      r.get("/v1/batches/:id/archive.zip").handler(h.guarded(ctx -> bulk(ctx, true)));
    }
    if (s.webhooks() != null) {
      r.get("/v1/webhooks/secret").handler(h.guarded(this::secret));
      r.post("/v1/webhooks/secret/rotate").handler(h.guarded(this::rotate));
      r.get("/v1/webhooks/deliveries").handler(h.guarded(this::deliveries));
      r.post("/v1/webhooks/deliveries/:id/redeliver").handler(h.guarded(this::redeliver));
    }
    if (s.models() != null) {
      r.get("/v1/models").handler(h.guarded(this::models));
    }
  }

  private void jobs(RoutingContext ctx) {
    String tenant = h.tenant(ctx);
    ListingService l = s.listing();
    var q = ctx.request().params();
    h.blocking(
        ctx,
        () ->
            l.jobs(
                tenant,
                q.get("status"),
                q.get("batch"),
                q.getAll("label"),
                q.get("created_after"),
                q.get("created_before"),
                q.get("limit"),
                q.get("after")),
        (c, page) -> h.out.json(c, 200, page));
  }

  private void batches(RoutingContext ctx) {
    String tenant = h.tenant(ctx);
    ListingService l = s.listing();
    var q = ctx.request().params();
    h.blocking(
        ctx,
        () ->
            l.batches(tenant, q.get("status"), q.getAll("label"), q.get("limit"), q.get("before")),
        (c, page) -> h.out.json(c, 200, page));
  }

  private void secret(RoutingContext ctx) {
    String tenant = h.tenant(ctx);
    WebhookAdmin w = s.webhooks();
    h.blocking(ctx, () -> w.secret(tenant), (c, v) -> h.out.json(c, 200, v));
  }

  private void rotate(RoutingContext ctx) {
    String tenant = h.tenant(ctx);
    WebhookAdmin w = s.webhooks();
    h.blocking(ctx, () -> w.rotate(tenant), (c, v) -> h.out.json(c, 200, v));
  }

  private void deliveries(RoutingContext ctx) {
    String tenant = h.tenant(ctx);
    WebhookAdmin w = s.webhooks();
    var q = ctx.request().params();
    h.blocking(
        ctx,
        () -> w.deliveries(tenant, q.get("status"), q.get("limit"), q.get("before")),
        (c, v) -> h.out.json(c, 200, v));
  }

  private void redeliver(RoutingContext ctx) {
    String tenant = h.tenant(ctx);
    WebhookAdmin w = s.webhooks();
    String id = ctx.pathParam("id");
    h.blocking(ctx, () -> w.redeliver(tenant, id), (c, v) -> h.out.json(c, 200, v));
  }

  private void models(RoutingContext ctx) {
    String tenant = h.tenant(ctx);
    ModelsService m = s.models();
    h.blocking(ctx, () -> m.list(tenant), (c, v) -> h.out.json(c, 200, v));
  }

  /**
   * Looks the batch up (404 before anything is sent), then streams on the {@code farm-bulk} pool
   * through a {@link ResponseStream}; a failure after the first byte cuts the response.
   */
  private void bulk(RoutingContext ctx, boolean zip) {
    String tenant = h.tenant(ctx);
    BulkResults bulk = s.bulk();
    String id = ctx.pathParam("id");
    h.blocking(
        ctx,
        () -> s.queries().batch(id, tenant).id(),
        (c, batch) -> stream(c, bulk, batch, tenant, zip));
  }

  private void stream(
      RoutingContext ctx, BulkResults bulk, UUID batch, String tenant, boolean zip) {
    var res = ctx.response();
    res.setStatusCode(200)
        .setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, zip ? "application/zip" : "application/x-ndjson")
        .putHeader(
            "Content-Disposition",
            "attachment; filename=\"batch-" + batch + (zip ? ".zip\"" : ".jsonl\""))
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    if (zip) {
      res.putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY); // PNGs: no gzip
    }
    Context context = ctx.vertx().getOrCreateContext();
    ResponseStream out = new ResponseStream(res, context);
    streams.executeBlocking(
        () -> {
          try {
            write(bulk, batch, tenant, zip, out);
            out.finish();
          } catch (IOException | RuntimeException e) {
            LOG.info("bulk results of batch {} cut: {}", batch, e.toString());
            out.abort();
          }
          return null;
        },
        false);
  }

  private static void write(
      BulkResults bulk, UUID batch, String tenant, boolean zip, OutputStream out)
      throws IOException {
    if (zip) {
      bulk.zip(batch, tenant, out);
    } else {
      bulk.jsonl(batch, tenant, out);
    }
  }
}
