package io.cascadefarm.dispatcher.http;

import io.cascadefarm.dispatcher.upload.ImageUploads;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /v1/uploads}: the raw image bytes as the body; answers 201 with the upload key. */
final class UploadRoutes {
  private final Handlers h;
  private final ImageUploads uploads;
  private final BodyLimits bodies;

  UploadRoutes(Handlers h, ImageUploads uploads, BodyLimits bodies) {
    this.h = h;
    this.uploads = uploads;
    this.bodies = bodies;
  }

  void mount(Router r) {
    r.post("/v1/uploads").handler(bodies.upload()).handler(h.guarded(this::upload));
  }

  private void upload(RoutingContext ctx) {
    h.tenant(ctx);
    byte[] body = Handlers.body(ctx);
    h.blocking(ctx, () -> uploads.store(body), (c, res) -> h.out.json(c, 201, res));
  }
}
