package io.cascadefarm.cascade.model;

/** Builds one model variant from wherever its weights live. */
@FunctionalInterface
public interface ModelLoader {
  /** Loads {@code variant} ({@code tiny}, {@code lite} or {@code big}); never returns null. */
  CascadeModels load(String variant);

  /**
   * Loads {@code variant} at {@code precision}. The default supports only fp32; loaders that can
   * convert weights override it.
   */
  default CascadeModels load(String variant, Precision precision) {
    if (precision != Precision.FP32) {
      throw new UnsupportedOperationException(
          "this model loader cannot load precision " + precision.label());
    }
    return load(variant);
  }

  /**
   * Loads {@code variant} at {@code precision} with every network on {@code device}. The default
   * supports only the engine's default device; loaders that place weights override it.
   */
  default CascadeModels load(String variant, Precision precision, ai.djl.Device device) {
    if (!device.equals(Devices.defaultDevice())) {
      throw new UnsupportedOperationException("this model loader cannot place models on " + device);
    }
    return load(variant, precision);
  }
}
