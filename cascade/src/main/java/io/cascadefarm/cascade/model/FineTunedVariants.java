package io.cascadefarm.cascade.model;

import java.util.Optional;

/** Finds fine-tuned models by name, with their weights as a local file (the farm: from S3). */
@FunctionalInterface
public interface FineTunedVariants {
  /** The model {@code name} ({@code <tenant>/<name>}), or empty when there is none. */
  Optional<FineTunedVariant> locate(String name);

  /**
   * The base variant ({@code tiny}, {@code lite} or {@code big}) of the model {@code name}, or
   * empty when there is none; sources whose {@link #locate} fetches the weights answer this without
   * them.
   */
  default Optional<String> baseOf(String name) {
    return locate(name).map(FineTunedVariant::base);
  }
}
