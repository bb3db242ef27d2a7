package io.cascadefarm.dispatcher.http;

import io.cascadefarm.common.config.ApiLimits;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Body readers with the documented size limits: {@code farm.api.max-body-bytes} for job and batch
 * bodies, {@code farm.api.max-upload-bytes} for uploads. A larger body fails the route with 413,
 * answered as JSON by the router's failure handler. No multipart or file uploads are handled.
 */
final class BodyLimits {
  private final ApiLimits limits;

  BodyLimits(ApiLimits limits) {
    this.limits = limits;
  }

  Handler<RoutingContext> json() {
    return BodyHandler.create(false).setBodyLimit(limits.maxBodyBytes());
  }

  Handler<RoutingContext> upload() {
    return BodyHandler.create(false).setBodyLimit(limits.maxUploadBytes());
  }
}
