package io.cascadefarm.dispatcher.http;

import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.api.FieldError;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * Shared handler plumbing: tenant lookup, blocking work off the event loop, query flags.
 *
 * <p>Blocking work runs on separate pools so that a slow dependency cannot starve the others:
 * object-store calls (uploads, LoRAs) on {@code farm-objects}, store calls on Vert.x's worker pool,
 * and API-key lookups on their own pool ({@code farm-auth}, see {@link
 * io.cascadefarm.dispatcher.auth.AuthHandler}). Every blocking answer has a deadline ({@link
 * #DEADLINE}), longer than the S3 and JDBC timeouts, after which the client gets 503 with
 * Retry-After instead of waiting on a hung dependency.
 */
final class Handlers {
  /** Longest a request waits for its blocking work before it is answered 503. */
  static final java.time.Duration DEADLINE = java.time.Duration.ofSeconds(60);

  final Responses out;
  private final TenantResolver tenants;
  private final io.vertx.core.WorkerExecutor objects;

  Handlers(Responses out, TenantResolver tenants, io.vertx.core.WorkerExecutor objects) {
    this.out = out;
    this.tenants = tenants;
    this.objects = objects;
  }

  /** Runs {@code work} on a worker thread, then answers with {@code ok} or the mapped error. */
  <T> void blocking(RoutingContext ctx, Callable<T> work, BiConsumer<RoutingContext, T> ok) {
    answer(ctx, ctx.vertx().executeBlocking(work, false), ok);
  }

  /** As {@link #blocking}, for object-store work, on the {@code farm-objects} pool. */
  <T> void blockingObjects(RoutingContext ctx, Callable<T> work, BiConsumer<RoutingContext, T> ok) {
    answer(ctx, objects.executeBlocking(work, false), ok);
  }

  private <T> void answer(
      RoutingContext ctx, io.vertx.core.Future<T> f, BiConsumer<RoutingContext, T> ok) {
    long timer =
        ctx.vertx()
            .setTimer(
                DEADLINE.toMillis(),
                t ->
                    out.error(
                        ctx,
                        ApiException.unavailable(
                            "the request did not complete within "
                                + DEADLINE.toSeconds()
                                + " s (a dependency is slow); retry later",
                            5)));
    f.onComplete(
        ar -> {
          ctx.vertx().cancelTimer(timer);
          if (ctx.response().ended()) {
            return;
          }
          if (ar.succeeded()) {
            try {
              ok.accept(ctx, ar.result());
            } catch (RuntimeException e) {
              out.fail(ctx, e);
            }
          } else {
            out.fail(ctx, ar.cause());
          }
        });
  }

  /** The tenant of the request; 401 when the resolver refuses it. */
  String tenant(RoutingContext ctx) {
    String t = ctx.get(io.cascadefarm.dispatcher.auth.AuthHandler.TENANT);
    if (t == null) {
      t = tenants.tenantOf(ctx.request());
    }
    if (t == null) {
      throw new ApiException(
          401,
          "unauthorized",
          "missing or invalid API key",
          List.of(new FieldError("Authorization", "missing or invalid API key")),
          0);
    }
    return t;
  }

  /** The body {@link RequestBody} read (empty when none). */
  static byte[] body(RoutingContext ctx) {
    byte[] b = ctx.get(RequestBody.BYTES);
    return b == null ? new byte[0] : b;
  }

  /** A boolean query flag: absent means false; anything but true/false is a 400 naming it. */
  static boolean flag(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    if (v == null || v.isEmpty() || v.equals("false")) {
      return false;
    }
    if (v.equals("true")) {
      return true;
    }
    throw ApiException.invalidField(name, "must be true or false");
  }

  /** Wraps a handler so that an {@link ApiException} thrown on the event loop is answered. */
  io.vertx.core.Handler<RoutingContext> guarded(io.vertx.core.Handler<RoutingContext> h) {
    return ctx -> {
      try {
        h.handle(ctx);
      } catch (RuntimeException e) {
        out.fail(ctx, e);
      }
    };
  }
}
