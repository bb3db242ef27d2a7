package io.cascadefarm.dispatcher.service;

import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.port.ObjectStore;
import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.api.ErrorScope;
import io.cascadefarm.dispatcher.upload.LoraUploads;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Checks that every upload a job names ({@code image}, {@code mask}, {@code extra_images}, {@code
 * latents}, {@code embeddings}) was uploaded and every LoRA it names was uploaded with {@code POST
 * /v1/loras} and may be used by the submitting tenant (its own, a shared one, or one the operator
 * placed), and that a fine-tuned {@code model} is the tenant's own; returns each LoRA's current
 * SHA-256 to pin. Each distinct key is looked up once per request, so a 100,000-job batch over one
 * image costs one lookup.
 */
public final class UploadChecker {
  private final ObjectStore objects;

  public UploadChecker(ObjectStore objects) {
    this.objects = objects;
  }

  /** Null entries of {@code jobs} are skipped; LoRAs as for a tenant that owns every name. */
  public void check(
      List<JobParams> jobs, IntFunction<String> prefix, IntFunction<ErrorScope> scope) {
    check(jobs, prefix, scope, null);
  }

  /**
   * Checks the uploads and LoRAs of {@code jobs} for {@code tenant} and returns the SHA-256 each
   * usable LoRA name stands for now (to pin into the jobs). A LoRA another tenant owns and did not
   * share is reported as unknown, exactly like a name never uploaded.
   */
  public Map<String, String> check(
      List<JobParams> jobs,
      IntFunction<String> prefix,
      IntFunction<ErrorScope> scope,
      String tenant) {
    Map<String, Boolean> known = new HashMap<>();
    Map<String, String> pins = new HashMap<>();
    for (int i = 0; i < jobs.size(); i++) {
      JobParams p = jobs.get(i);
      if (p == null) {
        continue;
      }
      checkKey(p.image(), "image", i, known, prefix, scope);
      checkKey(p.mask(), "mask", i, known, prefix, scope);
      for (int j = 0; j < p.extraImages().size(); j++) {
        checkKey(p.extraImages().get(j), "extra_images[" + j + "]", i, known, prefix, scope);
      }
      checkKey(p.latents(), "latents", i, known, prefix, scope);
      checkKey(p.embeddings(), "embeddings", i, known, prefix, scope);
      if (p.dataset() != null) {
        checkKey(p.dataset().archive(), "dataset.archive", i, known, prefix, scope);
        if (p.dataset().images() != null) {
          for (int k = 0; k < p.dataset().images().size(); k++) {
            checkKey(
                p.dataset().images().get(k).image(),
                "dataset.images[" + k + "].image",
                i,
                known,
                prefix,
                scope);
          }
        }
      }
      for (int j = 0; j < p.loras().size(); j++) {
        checkLora(p.loras().get(j).name(), j, i, pins, tenant, prefix, scope);
      }
      checkModel(p.model(), i, known, tenant, prefix, scope);
      if (p.modelName() != null && tenant != null) {
        checkModelName(
            io.cascadefarm.common.model.CustomModels.modelName(tenant, p.modelName()),
            i,
            prefix,
            scope);
      }
    }
    pins.values().removeIf(v -> v.isEmpty());
    return pins;
  }

  /** The SHA-256 of LoRA {@code name} if {@code tenant} may use it, else "" (unknown to it). */
  private String visibleSha(String name, String tenant) {
    try {
      Optional<byte[]> sha = objects.get(LoraUploads.shaKey(name));
      if (sha.isEmpty()) {
        return "";
      }
      if (tenant != null) {
        Optional<byte[]> owner = objects.get(LoraUploads.ownerKey(name));
        boolean mine =
            owner.isEmpty() // placed by the operator: for everyone
                || new String(owner.get(), StandardCharsets.UTF_8).equals(tenant);
        if (!mine && !objects.exists(LoraUploads.sharedKey(name))) {
          return "";
        }
      }
      return new String(sha.get(), StandardCharsets.US_ASCII).trim();
    } catch (RuntimeException e) {
      throw ApiException.objectStoreUnavailable(
          "loras",
          "cannot check the LoRA: object store unavailable",
          StoreGuard.RETRY_AFTER_SECONDS);
    }
  }

  private void checkLora(
      String name,
      int j,
      int i,
      Map<String, String> pins,
      String tenant,
      IntFunction<String> prefix,
      IntFunction<ErrorScope> scope) {
    if (name == null || !pins.computeIfAbsent(name, n -> visibleSha(n, tenant)).isEmpty()) {
      return;
    }
    String p = prefix.apply(i);
    String field = "loras[" + j + "].name";
    scope
        .apply(i)
        .add(
            p.isEmpty() ? field : p + "." + field,
            "unknown LoRA '" + name + "' (upload it with POST /v1/loras?name=" + name + ")");
  }

  /**
   * A fine-tuned model ({@code <tenant>/<name>}) must be registered and the submitting tenant's
   * own; another tenant's model is reported exactly like one that does not exist.
   */
  private void checkModel(
      String model,
      int i,
      Map<String, Boolean> known,
      String tenant,
      IntFunction<String> prefix,
      IntFunction<ErrorScope> scope) {
    if (!io.cascadefarm.common.contract.JobContract.isCustomModel(model)
        || known.computeIfAbsent("model:" + model, m -> usableModel(model, tenant))) {
      return;
    }
    String p = prefix.apply(i);
    scope
        .apply(i)
        .add(
            p.isEmpty() ? "model" : p + ".model",
            "unknown model '"
                + model
                + "': no fine-tuned model of this tenant has that name (GET /v1/models lists"
                + " yours under fine_tuned)");
  }

  /** A {@code model_name} is used once per tenant. */
  private void checkModelName(
      String model, int i, IntFunction<String> prefix, IntFunction<ErrorScope> scope) {
    if (!usableModel(model, null)) {
      return;
    }
    String p = prefix.apply(i);
    scope
        .apply(i)
        .add(
            p.isEmpty() ? "model_name" : p + ".model_name",
            "model "
                + model
                + " exists already (each name is registered once per tenant); choose another"
                + " model_name");
  }

  private boolean usableModel(String model, String tenant) {
    try {
      return tenant == null
          ? io.cascadefarm.common.model.CustomModels.find(objects, model).isPresent()
          : io.cascadefarm.common.model.CustomModels.findFor(objects, model, tenant).isPresent();
    } catch (RuntimeException e) {
      throw ApiException.objectStoreUnavailable(
          "model",
          "cannot check the model: object store unavailable",
          StoreGuard.RETRY_AFTER_SECONDS);
    }
  }

  private void checkKey(
      String key,
      String field,
      int i,
      Map<String, Boolean> known,
      IntFunction<String> prefix,
      IntFunction<ErrorScope> scope) {
    if (key == null || known.computeIfAbsent(key, this::exists)) {
      return;
    }
    String p = prefix.apply(i);
    scope
        .apply(i)
        .add(
            p.isEmpty() ? field : p + "." + field,
            "no upload with key " + key + " (POST /v1/uploads first)");
  }

  private boolean exists(String key) {
    try {
      return objects.exists(key);
    } catch (RuntimeException e) {
      throw ApiException.objectStoreUnavailable(
          "image",
          "cannot check the upload: object store unavailable",
          StoreGuard.RETRY_AFTER_SECONDS);
    }
  }
}
