package io.cascadefarm.dispatcher.http;

import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.api.FieldError;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/** Shared handler plumbing: tenant lookup, blocking work off the event loop, query flags. */
final class Handlers {
  final Responses out;
  private final TenantResolver tenants;

  Handlers(Responses out, TenantResolver tenants) {
    this.out = out;
    this.tenants = tenants;
  }

  /** Runs {@code work} on a worker thread, then answers with {@code ok} or the mapped error. */
  <T> void blocking(RoutingContext ctx, Callable<T> work, BiConsumer<RoutingContext, T> ok) {
    ctx.vertx()
        .executeBlocking(work, false)
        .onComplete(
            ar -> {
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
