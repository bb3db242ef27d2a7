package io.cascadefarm.worker.models;

import io.cascadefarm.cascade.model.FineTunedVariant;
import io.cascadefarm.cascade.model.FineTunedVariants;
import io.cascadefarm.common.digest.Sha256;
import io.cascadefarm.common.model.CustomModel;
import io.cascadefarm.common.model.CustomModels;
import io.cascadefarm.common.port.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The tenants' fine-tuned models ({@link CustomModels}) as local files for the model registry: a
 * model's weights are downloaded once per machine to {@code <dir>/<tenant>/<name>-<sha256>
 * .safetensors} (streamed, checked against the registered SHA-256, moved into place atomically).
 */
public final class StoredFineTunedModels implements FineTunedVariants {
  private final ObjectStore objects;
  private final Path dir;

  public StoredFineTunedModels(ObjectStore objects, Path dir) {
    this.objects = objects;
    this.dir = dir;
  }

  @Override
  public Optional<FineTunedVariant> locate(String name) {
    Optional<CustomModel> found = CustomModels.find(objects, name);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    CustomModel m = found.get();
    return Optional.of(
        new FineTunedVariant(
            m.model(),
            m.base(),
            "b".equals(m.stage()) ? FineTunedVariant.Stage.B : FineTunedVariant.Stage.C,
            local(m)));
  }

  /** The registered base variant, read from the registry JSON without fetching the weights. */
  @Override
  public Optional<String> baseOf(String name) {
    return CustomModels.find(objects, name).map(CustomModel::base);
  }

  private synchronized Path local(CustomModel m) {
    Path file = dir.resolve(m.model() + "-" + m.sha256() + ".safetensors");
    if (Files.isRegularFile(file)) {
      return file;
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), ".download", ".tmp");
      try {
        if (!objects.getFile(CustomModels.weightsKey(m.model()), tmp)) {
          throw new IllegalArgumentException("model " + m.model() + ": weights missing in S3");
        }
        String sha = Sha256.hex(tmp);
        if (!sha.equals(m.sha256())) {
          throw new IllegalArgumentException(
              "model " + m.model() + ": weights do not match their registered SHA-256");
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store model " + m.model() + " locally", e);
    }
    return file;
  }
}
