package io.cascadefarm.cascade.model;

import io.cascadefarm.cascade.net.controlnet.ControlNetConfig;
import java.nio.file.Path;

/**
 * Loads {@code lite} and {@code big} from a model directory in the Hugging Face layout and {@code
 * tiny} from generated random weights in a cache directory.
 */
public final class DefaultModelLoader implements ModelLoader {
  private final ModelLayout layout;
  private final Path cacheDir;

  public DefaultModelLoader(ModelLayout layout, Path cacheDir) {
    this.layout = layout;
    this.cacheDir = cacheDir;
  }

  @Override
  public CascadeModels load(String variant) {
    return load(variant, Precision.FP32);
  }

  @Override
  public CascadeModels load(String variant, Precision precision) {
    return load(variant, precision, Devices.defaultDevice());
  }

  @Override
  public CascadeModels load(String variant, Precision precision, ai.djl.Device device) {
    precision.check(variant);
    return switch (variant) {
      case "tiny" -> TinyPreset.load(cacheDir, precision, device);
      case "lite" ->
          CascadeModelFactory.load(
              "lite",
              "lite",
              layout,
              true,
              NetworkConfigs.official(true),
              ControlNetConfig::forVariant,
              precision,
              device);
      case "big" ->
          CascadeModelFactory.load(
              "big",
              "big",
              layout,
              false,
              NetworkConfigs.official(false),
              ControlNetConfig::forVariant,
              precision,
              device);
      default ->
          throw new IllegalArgumentException(
              "model must be one of tiny, lite, big; got " + variant);
    };
  }
}
