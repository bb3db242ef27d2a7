package io.cascadefarm.cascade.model;

import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.net.controlnet.ControlNet;
import io.cascadefarm.cascade.net.controlnet.ControlNetConfig;
import io.cascadefarm.cascade.nn.SafetensorsWeights;
import io.cascadefarm.cascade.nn.WeightBinder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The ControlNets of a variant ({@code canny}, {@code inpainting}, {@code super_resolution}), each
 * loaded on first use from {@code controlnet/<type>.safetensors} and kept resident. Official
 * ControlNets exist only for the 3.6B Stage C, so {@code lite} has none.
 */
public final class ControlNets {
  private final ModelLayout layout;
  private final Function<String, ControlNetConfig> configs;
  private final String unavailable;
  private final NDManager manager;
  private final Map<String, ControlNet> loaded = new ConcurrentHashMap<>();

  /**
   * @param unavailable null when the variant has ControlNets, else the reason it has none
   */
  ControlNets(
      ModelLayout layout,
      Function<String, ControlNetConfig> configs,
      String unavailable,
      NDManager manager) {
    this.layout = layout;
    this.configs = configs;
    this.unavailable = unavailable;
    this.manager = manager;
  }

  /** The ControlNet of {@code type}, loading it on first use. */
  public ControlNet get(String type) {
    if (unavailable != null) {
      throw new UnsupportedOperationException(unavailable);
    }
    return loaded.computeIfAbsent(type, this::load);
  }

  /**
   * Path of an optional file next to the ControlNets ({@code controlnet/<name>.safetensors}), e.g.
   * the saliency model; it may not exist.
   */
  public Path file(String name) {
    return layout.controlNet(name);
  }

  /** Whether this variant has ControlNets at all (lite has none). */
  public boolean available() {
    return unavailable == null;
  }

  private ControlNet load(String type) {
    ControlNet net = new ControlNet(configs.apply(type));
    Path file = layout.controlNet(type);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("ControlNet '" + type + "' missing: " + file);
    }
    try (SafetensorsWeights src = SafetensorsWeights.open(file)) {
      WeightBinder.bind(net, src, manager);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load ControlNet " + file, e);
    }
    return net;
  }

  /** Writes random tiny ControlNet weights for {@code type} into {@code layout} if missing. */
  static void prepareTiny(ModelLayout layout, String type) throws IOException {
    ControlNet net = new ControlNet(ControlNetConfig.tinyForVariant(type));
    RandomWeights.ensure(net, "controlnet/" + type, layout.controlNet(type));
  }
}
