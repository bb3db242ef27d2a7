package io.cascadefarm.dispatcher.http;

import io.cascadefarm.common.json.Json;
import io.cascadefarm.dispatcher.ops.DispatcherMetrics;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;

/**
 * Answers requests the HTTP codec could not parse (before any route runs) in the API's JSON error
 * shape: a request line too long is 414 naming {@code uri}, headers too large (e.g. a 10 kB
 * Authorization header) 431 naming {@code headers}, anything else 400 naming {@code request}. (An
 * HTTP/2 request over the header limit is answered 431 by Vert.x itself, without a body.)
 */
public final class InvalidRequests implements Handler<HttpServerRequest> {
  public static final int MAX_HEADER_BYTES = 64 * 1024;
  private final DispatcherMetrics metrics;

  InvalidRequests(DispatcherMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
    String m = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
    int status = 400;
    String field = "request";
    String message = "malformed HTTP request";
    if (cause instanceof TooLongFrameException && m.startsWith("An HTTP line is larger than")) {
      status = 414;
      field = "uri";
      message = "the request line is too long";
    } else if (cause instanceof TooLongFrameException && m.startsWith("HTTP header is larger")) {
      status = 431;
      field = "headers";
      message = "the request headers are too large";
    }
    metrics.rejected(status == 400 ? "bad_request" : "too_large");
    Map<String, Object> err =
        Map.of(
            "code",
            status == 400 ? "bad_request" : "too_large",
            "message",
            message,
            "fields",
            List.of(Map.of("field", field, "message", message)));
    request
        .response()
        .setStatusCode(status)
        .putHeader("Content-Type", Responses.JSON)
        .putHeader("Connection", "close")
        .end(Buffer.buffer(Json.toBytes(Map.of("error", err))));
  }

  /**
   * Headers up to {@value #MAX_HEADER_BYTES} bytes (HTTP/1.1 and HTTP/2) reach the routes, so e.g.
   * a 10 kB Authorization header is a JSON 401, not a bare 431 from the codec.
   */
  public static HttpServerOptions headerLimits(HttpServerOptions o) {
    return o.setMaxHeaderSize(MAX_HEADER_BYTES)
        .setInitialSettings(new Http2Settings().setMaxHeaderListSize(MAX_HEADER_BYTES));
  }

  public static Handler<HttpServerRequest> of(DispatcherMetrics metrics) {
    return new InvalidRequests(metrics);
  }

  /**
   * The server's request handler: refuses what the router cannot route (an HTTP/1.x request without
   * a Host header, on which Vert.x Web throws) with 400 naming {@code Host}, and hands everything
   * else to {@code router}.
   */
  public static Handler<HttpServerRequest> guard(
      Handler<HttpServerRequest> router, DispatcherMetrics metrics, ConnectionGuard connections) {
    return req -> {
      connections.onRequest(req);
      if (req.version() == null) {
        // an HTTP version Vert.x does not know (e.g. HTTP/9.9): 400, not Vert.x's bare 501
        metrics.rejected("bad_request");
        String message = "must be HTTP/1.0 or HTTP/1.1";
        Map<String, Object> err =
            Map.of(
                "code",
                "bad_request",
                "message",
                "version " + message,
                "fields",
                List.of(Map.of("field", "version", "message", message)));
        req.response()
            .setStatusCode(400)
            .putHeader("Content-Type", Responses.JSON)
            .putHeader("Connection", "close")
            .end(Buffer.buffer(Json.toBytes(Map.of("error", err))));
        return;
      }
      if (req.version() != io.vertx.core.http.HttpVersion.HTTP_2 && req.authority() == null) {
        metrics.rejected("bad_request");
        String message = "is required (HTTP/1.1 requests must name the host)";
        Map<String, Object> err =
            Map.of(
                "code",
                "bad_request",
                "message",
                "Host " + message,
                "fields",
                List.of(Map.of("field", "Host", "message", message)));
        req.response()
            .setStatusCode(400)
            .putHeader("Content-Type", Responses.JSON)
            .putHeader("Connection", "close")
            .end(Buffer.buffer(Json.toBytes(Map.of("error", err))));
        return;
      }
      router.handle(req);
    };
  }
}
