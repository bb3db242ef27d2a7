package io.cascadefarm.cascade.model;

import io.cascadefarm.cascade.net.controlnet.ControlNet;
import io.cascadefarm.cascade.net.controlnet.ControlNetConfig;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.NetworkCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code tiny} variant: every network (CLIP text and vision included) at tiny dimensions with
 * deterministic random weights, generated on first use as safetensors files in the official layout
 * under {@code <cache>/tiny-<fingerprint>/} and then loaded through the normal path. The
 * fingerprint covers every key and shape, so a changed tiny config gets fresh files. Its images are
 * noise.
 */
public final class TinyPreset {
  /** How the tiny variant reports itself wherever a model name is shown. */
  public static final String DESCRIPTION = "tiny (random weights, output is noise)";

  /** ControlNet types generated for the tiny preset. */
  static final List<String> CONTROL_TYPES =
      List.of("canny", "inpainting", "super_resolution", "identity");

  private TinyPreset() {}

  /** Writes any missing tiny files under {@code cacheDir} and returns their layout. */
  public static ModelLayout prepare(Path cacheDir) {
    NetworkConfigs configs = NetworkConfigs.tiny();
    NetworkSet nets = new NetworkSet(configs);
    ModelLayout layout = new ModelLayout(cacheDir.resolve("tiny-" + fingerprint(nets)));
    try {
      for (Map.Entry<Path, Module> e : nets.byFile(layout, false).entrySet()) {
        String seedName = layout.root().relativize(e.getKey()).toString();
        RandomWeights.ensure(e.getValue(), seedName, e.getKey());
      }
      TinyTokenizerFiles.ensure(layout.tokenizer());
      for (String type : CONTROL_TYPES) {
        ControlNets.prepareTiny(layout, type);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write tiny model files under " + cacheDir, e);
    }
    return layout;
  }

  /** Prepares (if needed) and loads the tiny variant in fp32. */
  public static CascadeModels load(Path cacheDir) {
    return load(cacheDir, Precision.FP32);
  }

  /** Prepares (if needed) and loads the tiny variant at {@code precision}. */
  public static CascadeModels load(Path cacheDir, Precision precision) {
    return load(cacheDir, precision, Devices.defaultDevice());
  }

  /** Prepares (if needed) and loads the tiny variant at {@code precision} on {@code device}. */
  public static CascadeModels load(Path cacheDir, Precision precision, ai.djl.Device device) {
    ModelLayout layout = prepare(cacheDir);
    return CascadeModelFactory.load(
        "tiny",
        DESCRIPTION,
        layout,
        false,
        NetworkConfigs.tiny(),
        ControlNetConfig::tinyForVariant,
        precision,
        device);
  }

  private static String fingerprint(NetworkSet nets) {
    long h = 0xcbf29ce484222325L;
    List<Module> modules =
        new ArrayList<>(nets.byFile(new ModelLayout(Path.of(".")), false).values());
    for (String type : CONTROL_TYPES) {
      modules.add(new ControlNet(ControlNetConfig.tinyForVariant(type)));
    }
    for (Module m : modules) {
      for (String line : NetworkCatalog.keyLines(m)) {
        for (byte b : line.getBytes(StandardCharsets.UTF_8)) {
          h = (h ^ b) * 0x100000001b3L;
        }
      }
    }
    return Long.toHexString(h);
  }
}
