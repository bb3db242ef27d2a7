package io.cascadefarm.dispatcher.service;

import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.port.ObjectStore;
import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.api.ErrorScope;
import io.cascadefarm.dispatcher.upload.LoraUploads;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Checks that every {@code image} and {@code mask} a job names was uploaded and every LoRA it names
 * was uploaded with {@code POST /v1/loras}. Each distinct key is looked up once per request, so a
 * 100,000-job batch over one image costs one lookup.
 */
public final class UploadChecker {
  private final ObjectStore objects;

  public UploadChecker(ObjectStore objects) {
    this.objects = objects;
  }

  /** Null entries of {@code jobs} are skipped. */
  public void check(
      List<JobParams> jobs, IntFunction<String> prefix, IntFunction<ErrorScope> scope) {
    Map<String, Boolean> known = new HashMap<>();
    for (int i = 0; i < jobs.size(); i++) {
      JobParams p = jobs.get(i);
      if (p == null) {
        continue;
      }
      checkKey(p.image(), "image", i, known, prefix, scope);
      checkKey(p.mask(), "mask", i, known, prefix, scope);
      for (int j = 0; j < p.loras().size(); j++) {
        checkLora(p.loras().get(j).name(), j, i, known, prefix, scope);
      }
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
    }
  }

  private void checkLora(
      String name,
      int j,
      int i,
      Map<String, Boolean> known,
      IntFunction<String> prefix,
      IntFunction<ErrorScope> scope) {
    if (name == null || known.computeIfAbsent(LoraUploads.fileKey(name), this::exists)) {
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
