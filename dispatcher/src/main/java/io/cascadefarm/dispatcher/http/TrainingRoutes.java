package io.cascadefarm.dispatcher.http;

import io.cascadefarm.common.config.ApiLimits;
import io.cascadefarm.common.port.ObjectStore;
import io.cascadefarm.dispatcher.upload.DatasetUploads;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Routes of the training jobs: {@code POST /v1/datasets} (a dataset archive for {@code train_lora},
 * answered 201 with its key) and {@code GET /v1/loras} (the LoRA names the tenant owns, uploaded or
 * trained, with their SHA-256).
 */
final class TrainingRoutes {
  private final Handlers h;
  private final ObjectStore objects;
  private final ApiLimits limits;
  private final BodyLimits bodies;

  TrainingRoutes(Handlers h, ObjectStore objects, ApiLimits limits, BodyLimits bodies) {
    this.h = h;
    this.objects = objects;
    this.limits = limits;
    this.bodies = bodies;
  }

  void mount(Router r) {
    r.post("/v1/datasets").handler(bodies.json()).handler(h.guarded(this::dataset));
    r.get("/v1/loras").handler(h.guarded(this::list));
  }

  private void dataset(RoutingContext ctx) {
    h.tenant(ctx);
    byte[] body = Handlers.body(ctx);
    DatasetUploads d =
        new DatasetUploads(
            objects, limits.maxUploadBytes(), limits.maxPromptChars(), limits.maxBodyBytes());
    h.blocking(ctx, () -> d.store(body), (c, res) -> h.out.json(c, 201, res));
  }

  /** One LoRA of the listing. */
  record LoraEntry(String name, String sha256) {}

  private void list(RoutingContext ctx) {
    String tenant = h.tenant(ctx);
    h.blocking(
        ctx,
        () -> {
          List<LoraEntry> out = new ArrayList<>();
          for (String key : objects.list("loras/")) {
            if (!key.endsWith(".owner")) {
              continue;
            }
            String name = key.substring("loras/".length(), key.length() - ".owner".length());
            Optional<byte[]> owner = objects.get(key);
            if (owner.isEmpty()
                || !new String(owner.get(), StandardCharsets.UTF_8).equals(tenant)) {
              continue;
            }
            objects
                .get("loras/" + name + ".sha256")
                .ifPresent(
                    sha ->
                        out.add(
                            new LoraEntry(
                                name, new String(sha, StandardCharsets.US_ASCII).trim())));
          }
          out.sort(java.util.Comparator.comparing(LoraEntry::name));
          return Map.of("loras", out);
        },
        (c, res) -> h.out.json(c, 200, res));
  }
}
