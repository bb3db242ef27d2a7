package io.cascadefarm.dispatcher.http;

import io.cascadefarm.dispatcher.upload.ImageUploads;
import io.cascadefarm.dispatcher.upload.LoraUploads;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/uploads}: the raw image bytes as the body; answers 201 with the upload key.
 * {@code POST /v1/loras?name=[&shared=true]}: a LoRA safetensors file, private to the tenant unless
 * shared.
 */
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
    r.post("/v1/loras").handler(bodies.upload()).handler(h.guarded(this::lora));
  }

  /** {@code POST /v1/loras?name=<name>}: the LoRA safetensors bytes as the body; 201. */
  private void lora(RoutingContext ctx) {
    String tenant = h.tenant(ctx);
    byte[] body = Handlers.body(ctx);
    String name = ctx.request().getParam("name");
    boolean shared = Handlers.flag(ctx, "shared");
    LoraUploads loras = new LoraUploads(uploads.objects(), uploads.maxBytes());
    h.blockingObjects(
        ctx, () -> loras.store(name, body, tenant, shared), (c, res) -> h.out.json(c, 201, res));
  }

  private void upload(RoutingContext ctx) {
    h.tenant(ctx);
    byte[] body = Handlers.body(ctx);
    h.blockingObjects(ctx, () -> uploads.store(body), (c, res) -> h.out.json(c, 201, res));
  }
}
