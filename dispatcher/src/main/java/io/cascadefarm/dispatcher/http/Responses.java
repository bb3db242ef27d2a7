package io.cascadefarm.dispatcher.http;

import io.cascadefarm.common.json.Json;
import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.api.FieldError;
import io.cascadefarm.dispatcher.ops.DispatcherMetrics;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes JSON answers and the one error shape: {@code {"error": {"code", "message", "fields":
 * [{"field", "message"}]}}}. An unexpected exception is logged and answered 500 with a generic
 * message (the hostile-input test asserts this never happens).
 */
public final class Responses {
  private static final Logger LOG = LoggerFactory.getLogger(Responses.class);
  public static final String JSON = "application/json";
  private final DispatcherMetrics metrics;

  public Responses(DispatcherMetrics metrics) {
    this.metrics = metrics;
  }

  public void json(RoutingContext ctx, int status, Object body) {
    HttpServerResponse r = ctx.response();
    if (r.ended() || r.closed()) {
      return;
    }
    r.setStatusCode(status).putHeader("Content-Type", JSON).end(Buffer.buffer(Json.toBytes(body)));
  }

  public void fail(RoutingContext ctx, Throwable t) {
    if (t instanceof ApiException e) {
      error(ctx, e);
      return;
    }
    LOG.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), t);
    error(
        ctx,
        new ApiException(
            500,
            "internal",
            "internal error",
            List.of(new FieldError("request", "internal error")),
            0));
  }

  public void error(RoutingContext ctx, ApiException e) {
    metrics.rejected(e.code());
    HttpServerResponse r = ctx.response();
    if (r.ended() || r.closed()) {
      return;
    }
    if (e.retryAfterSeconds() > 0) {
      r.putHeader("Retry-After", String.valueOf(e.retryAfterSeconds()));
    }
    json(ctx, e.status(), body(e));
  }

  static Map<String, Object> body(ApiException e) {
    Map<String, Object> err = new LinkedHashMap<>();
    err.put("code", e.code());
    err.put("message", e.getMessage());
    err.put("fields", e.fields());
    return Map.of("error", err);
  }
}
