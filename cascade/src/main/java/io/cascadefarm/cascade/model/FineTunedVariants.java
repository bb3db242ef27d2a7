package io.cascadefarm.cascade.model;

import java.util.Optional;

/** Finds fine-tuned models by name, with their weights as a local file (the farm: from S3). */
@FunctionalInterface
public interface FineTunedVariants {
  /** The model {@code name} ({@code <tenant>/<name>}), or empty when there is none. */
  Optional<FineTunedVariant> locate(String name);
}
