package io.cascadefarm.dispatcher.http;

import io.cascadefarm.common.json.Json;
import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.events.EventHub;
import io.cascadefarm.dispatcher.service.Ids;
import io.cascadefarm.dispatcher.service.JobQueries;
import io.vertx.core.Context;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * {@code GET /v1/events?job=<id>} or {@code ?batch=<id>}: a Server-Sent-Events stream. The first
 * event ({@code snapshot}) is the job or batch as the store has it; then {@code status} and {@code
 * progress} events follow live from the events topic. The subscription is made before the snapshot
 * is read, so no event between the two is lost. A comment line every 15 s keeps proxies open.
 */
final class EventRoutes {
  static final long KEEP_ALIVE_MS = 15_000;
  private final Handlers h;
  private final JobQueries queries;
  private final EventHub hub;
  private final int maxPerTenant;

  EventRoutes(Handlers h, JobQueries queries, EventHub hub, int maxPerTenant) {
    this.maxPerTenant = maxPerTenant;
    this.h = h;
    this.queries = queries;
    this.hub = hub;
  }

  void mount(Router r) {
    r.get("/v1/events").handler(h.guarded(this::stream));
  }

  private void stream(RoutingContext ctx) {
    String tenant = h.tenant(ctx);
    String job = ctx.request().getParam("job");
    String batch = ctx.request().getParam("batch");
    if ((job == null) == (batch == null)) {
      throw ApiException.invalidField("job", "give exactly one of ?job=<id> or ?batch=<id>");
    }
    String field = job != null ? "job" : "batch";
    UUID id = Ids.parse(job != null ? job : batch);
    if (id == null) {
      throw ApiException.notFound(field, "no " + field + " with that id");
    }
    if (!hub.tryOpen(tenant, maxPerTenant)) {
      throw new ApiException(
          429,
          "too_many_streams",
          "at most " + maxPerTenant + " open event streams per tenant",
          java.util.List.of(
              new io.cascadefarm.dispatcher.api.FieldError(
                  field,
                  "at most " + maxPerTenant + " open event streams per tenant; close one first")),
          5);
    }
    boolean[] counted = {true};
    Runnable release =
        () -> {
          if (counted[0]) {
            counted[0] = false;
            hub.closed(tenant);
          }
        };
    Context context = ctx.vertx().getOrCreateContext();
    SseStream stream = new SseStream(ctx.response(), context);
    if (job != null) {
      hub.subscribeJob(tenant, id, stream);
    } else {
      hub.subscribeBatch(tenant, id, stream);
    }
    long timer = ctx.vertx().setPeriodic(KEEP_ALIVE_MS, t -> stream.keepAlive());
    stream.onOverflow(
        () -> {
          hub.unsubscribe(stream);
          ctx.vertx().cancelTimer(timer);
          release.run();
        });
    ctx.response()
        .closeHandler(
            v -> {
              stream.closed();
              hub.unsubscribe(stream);
              ctx.vertx().cancelTimer(timer);
              release.run();
            });
    ctx.vertx()
        .executeBlocking(
            () ->
                Json.toJson(
                    job != null
                        ? queries.job(id.toString(), tenant)
                        : queries.batch(id.toString(), tenant)),
            false)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                stream.open(ar.result());
              } else {
                stream.closed();
                hub.unsubscribe(stream);
                ctx.vertx().cancelTimer(timer);
                release.run();
                h.out.fail(ctx, ar.cause());
              }
            });
  }
}
