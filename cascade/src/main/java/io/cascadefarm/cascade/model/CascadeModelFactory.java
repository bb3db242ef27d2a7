package io.cascadefarm.cascade.model;

import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.diffusion.CascadeDiffusionModels;
import io.cascadefarm.cascade.net.clip.ClipImageEncoder;
import io.cascadefarm.cascade.net.clip.ClipTextEncoder;
import io.cascadefarm.cascade.net.clip.ClipWeights;
import io.cascadefarm.cascade.net.controlnet.ControlNetConfig;
import io.cascadefarm.cascade.net.lora.LoraTargets;
import io.cascadefarm.cascade.net.lora.LoraVariants;
import io.cascadefarm.cascade.net.stagec.StageC;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.SafetensorsWeights;
import io.cascadefarm.cascade.nn.WeightBinder;
import io.cascadefarm.cascade.nn.WeightSource;
import io.cascadefarm.cascade.text.ClipTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Loads every network of a variant from a {@link ModelLayout} (strict key/shape check per file;
 * BF16 files are widened to float32 in Java) into one new manager; at {@link Precision#FP16} the
 * Stage C and Stage B weights are then converted to float16.
 */
final class CascadeModelFactory {
  /** LoRA-merged Stage C copies kept resident (least recently used ones are freed). */
  static final int LORA_COPIES = 2;

  private CascadeModelFactory() {}

  static CascadeModels load(
      String name,
      String description,
      ModelLayout layout,
      boolean lite,
      NetworkConfigs configs,
      Function<String, ControlNetConfig> controlNetConfigs,
      Precision precision) {
    List<Path> missing = layout.missingFor(lite);
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "model '" + name + "' is incomplete under " + layout.root() + "; missing " + missing);
    }
    long start = System.nanoTime();
    NetworkSet nets = new NetworkSet(configs);
    NDManager manager = NDManager.newBaseManager();
    ClipTextEncoder text = null;
    try {
      for (var e : nets.byFile(layout, lite).entrySet()) {
        if (e.getValue() != nets.text && e.getValue() != nets.vision) {
          bind(e.getValue(), e.getKey(), manager);
        }
      }
      precision.convert(nets.stageC);
      precision.convert(nets.stageB);
      ClipTokenizer tokenizer = ClipTokenizer.load(layout.tokenizer());
      try (ClipWeights src = ClipWeights.open(layout.textEncoder())) {
        text = ClipTextEncoder.create(tokenizer, configs.text(), src, manager);
      }
      ClipImageEncoder image;
      try (ClipWeights src = ClipWeights.open(layout.imageEncoder())) {
        image = ClipImageEncoder.create(configs.vision(), src, manager);
      }
      return new CascadeModels(
          name,
          description,
          text,
          image,
          CascadeDiffusionModels.stageC(nets.stageC),
          CascadeDiffusionModels.stageB(nets.stageB),
          nets.stageA::decode,
          nets.previewer::preview,
          new EffnetLatents(nets.effnet),
          new ControlNets(
              layout,
              controlNetConfigs,
              lite ? "ControlNets exist only for the 3.6B Stage C: use model big" : null,
              manager),
          new LoraVariants<>(
              nets.stageC,
              () -> new StageC(configs.stageC()),
              LoraTargets.OFFICIAL_FILTERS,
              LORA_COPIES,
              manager),
          manager,
          (System.nanoTime() - start) / 1_000_000);
    } catch (Exception | Error e) {
      if (text != null) {
        text.close();
      }
      manager.close();
      if (e instanceof IOException io) {
        throw new UncheckedIOException("cannot load model '" + name + "'", io);
      }
      if (e instanceof RuntimeException re) {
        throw re;
      }
      if (e instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("cannot load model '" + name + "'", e);
    }
  }

  private static void bind(Module net, Path file, NDManager manager) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("model file missing: " + file);
    }
    try (WeightSource src = SafetensorsWeights.open(file)) {
      WeightBinder.bind(net, src, manager);
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot close " + file, e);
    }
  }
}
