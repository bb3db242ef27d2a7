package io.cascadefarm.dispatcher.http;

import io.cascadefarm.common.config.ApiLimits;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Body readers with the documented size limits ({@link RequestBody}): {@code
 * farm.api.max-body-bytes} for job and batch bodies (NDJSON batches split into lines as they
 * arrive), {@code farm.api.max-upload-bytes} for uploads, all within one process-wide budget of
 * body bytes. No form, multipart or file-upload decoding happens anywhere.
 */
final class BodyLimits {
  private final ApiLimits limits;
  private final RequestBody.Budget budget;
  private final Responses out;

  BodyLimits(ApiLimits limits, Responses out) {
    this.limits = limits;
    this.out = out;
    this.budget = RequestBody.Budget.ofHeap();
  }

  Handler<RoutingContext> json() {
    return new RequestBody(limits.maxBodyBytes(), 0, budget, out);
  }

  Handler<RoutingContext> batch() {
    return new RequestBody(limits.maxBodyBytes(), limits.maxJobsPerBatch(), budget, out);
  }

  Handler<RoutingContext> upload() {
    return new RequestBody(limits.maxUploadBytes(), 0, budget, out);
  }
}
