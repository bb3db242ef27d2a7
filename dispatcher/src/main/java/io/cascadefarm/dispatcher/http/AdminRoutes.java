package io.cascadefarm.dispatcher.http;

import io.cascadefarm.dispatcher.admin.JobHistory;
import io.cascadefarm.dispatcher.admin.QueueService;
import io.cascadefarm.dispatcher.admin.WorkersService;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The routes issue 13 adds, kept apart from the job and batch routes so they merge easily: the
 * workers registry ({@code admin} scope: {@code GET /v1/workers[/{id}]}, {@code POST
 * /v1/workers/{id}/drain|release}), the queue overview ({@code GET /v1/queue} for the key's tenant,
 * {@code GET /v1/admin/queues} for every tenant) and a job's transitions ({@code GET
 * /v1/jobs/{id}/transitions}). Scopes are checked by {@link
 * io.cascadefarm.dispatcher.auth.AuthHandler}.
 */
final class AdminRoutes {
  private final Handlers h;
  private final WorkersService workers;
  private final QueueService queues;
  private final JobHistory history;

  AdminRoutes(Handlers h, WorkersService workers, QueueService queues, JobHistory history) {
    this.h = h;
    this.workers = workers;
    this.queues = queues;
    this.history = history;
  }

  void mount(Router r) {
    r.get("/v1/workers").handler(h.guarded(this::list));
    r.get("/v1/workers/:id").handler(h.guarded(this::get));
    r.post("/v1/workers/:id/drain").handler(h.guarded(this::drain));
    r.post("/v1/workers/:id/release").handler(h.guarded(this::release));
    r.get("/v1/queue").handler(h.guarded(this::queue));
    r.get("/v1/admin/queues").handler(h.guarded(this::farmQueues));
    r.get("/v1/jobs/:id/transitions").handler(h.guarded(this::transitions));
  }

  private void list(RoutingContext ctx) {
    h.tenant(ctx);
    h.blocking(ctx, workers::list, (c, v) -> h.out.json(c, 200, v));
  }

  private void get(RoutingContext ctx) {
    h.tenant(ctx);
    String id = ctx.pathParam("id");
    h.blocking(ctx, () -> workers.get(id), (c, v) -> h.out.json(c, 200, v));
  }

  private void drain(RoutingContext ctx) {
    h.tenant(ctx);
    String id = ctx.pathParam("id");
    String reason = ctx.request().getParam("reason");
    h.blocking(ctx, () -> workers.drain(id, reason), (c, v) -> h.out.json(c, 200, v));
  }

  private void release(RoutingContext ctx) {
    h.tenant(ctx);
    String id = ctx.pathParam("id");
    h.blocking(ctx, () -> workers.release(id), (c, v) -> h.out.json(c, 200, v));
  }

  private void queue(RoutingContext ctx) {
    String tenant = h.tenant(ctx);
    h.blocking(ctx, () -> queues.tenant(tenant), (c, v) -> h.out.json(c, 200, v));
  }

  private void farmQueues(RoutingContext ctx) {
    h.tenant(ctx);
    h.blocking(ctx, queues::farm, (c, v) -> h.out.json(c, 200, v));
  }

  private void transitions(RoutingContext ctx) {
    String tenant = h.tenant(ctx);
    String id = ctx.pathParam("id");
    h.blocking(ctx, () -> history.of(id, tenant), (c, v) -> h.out.json(c, 200, v));
  }
}
