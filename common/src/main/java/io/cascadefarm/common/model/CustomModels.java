package io.cascadefarm.common.model;

import io.cascadefarm.common.contract.JobContract;
import io.cascadefarm.common.json.Json;
import io.cascadefarm.common.port.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tenants' fine-tuned models in the object store: {@code models/<tenant>/<name>.safetensors}
 * (the stage's weights in the official key layout) and then {@code models/<tenant>/<name>.json} (a
 * {@link CustomModel}); the JSON is written last, so a model exists once it is complete. A name is
 * registered once per tenant: a later job with the same {@code model_name} is refused (except the
 * job that registered it, retrying after it wrote the model). The tenant is part of the name, so
 * two tenants' models never collide, and only the named tenant may use one.
 */
public final class CustomModels {
  static final String PREFIX = "models/";

  private CustomModels() {}

  /** {@code <tenant>/<name>}. */
  public static String modelName(String tenant, String name) {
    return tenant + "/" + name;
  }

  /** The object key of a model's weights. */
  public static String weightsKey(String model) {
    return PREFIX + model + ".safetensors";
  }

  static String descriptionKey(String model) {
    return PREFIX + model + ".json";
  }

  /** The tenant part of {@code <tenant>/<name>}. */
  public static String tenantOf(String model) {
    return model.substring(0, model.indexOf('/'));
  }

  /** The registered model {@code model}, if any (any tenant's: callers check ownership). */
  public static Optional<CustomModel> find(ObjectStore objects, String model) {
    if (!JobContract.isCustomModel(model)) {
      return Optional.empty();
    }
    return objects.get(descriptionKey(model)).map(CustomModels::parse);
  }

  /** The model {@code model} if {@code tenant} may render with it (its own), else empty. */
  public static Optional<CustomModel> findFor(ObjectStore objects, String model, String tenant) {
    if (!JobContract.isCustomModel(model) || !tenantOf(model).equals(tenant)) {
      return Optional.empty();
    }
    return find(objects, model);
  }

  /** The tenant's models, sorted by name. */
  public static List<CustomModel> listFor(ObjectStore objects, String tenant) {
    List<CustomModel> out = new ArrayList<>();
    for (String key : objects.list(PREFIX + tenant + "/")) {
      if (key.endsWith(".json")) {
        objects.get(key).map(CustomModels::parse).ifPresent(out::add);
      }
    }
    out.sort(java.util.Comparator.comparing(CustomModel::model));
    return out;
  }

  /**
   * Stores the weights from {@code file}, then the description; false (nothing written) when the
   * name already belongs to a model another job made.
   */
  public static boolean register(ObjectStore objects, CustomModel m, Path file) {
    Optional<CustomModel> existing = find(objects, m.model());
    if (existing.isPresent() && !existing.get().job().equals(m.job())) {
      return false;
    }
    objects.putFile(weightsKey(m.model()), file, "application/octet-stream");
    objects.put(descriptionKey(m.model()), Json.toBytes(m), "application/json");
    return true;
  }

  /** Whether {@code job} may still register {@code model} (unused, or already its own). */
  public static boolean mayRegister(ObjectStore objects, String model, java.util.UUID job) {
    return find(objects, model).map(m -> m.job().equals(job)).orElse(true);
  }

  private static CustomModel parse(byte[] b) {
    try {
      return Json.mapper().readValue(b, CustomModel.class);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable model description", e);
    }
  }
}
