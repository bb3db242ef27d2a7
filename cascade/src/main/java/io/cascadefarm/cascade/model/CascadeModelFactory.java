package io.cascadefarm.cascade.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.diffusion.CascadeDiffusionModels;
import io.cascadefarm.cascade.net.clip.ClipImageEncoder;
import io.cascadefarm.cascade.net.clip.ClipTextEncoder;
import io.cascadefarm.cascade.net.clip.ClipWeights;
import io.cascadefarm.cascade.net.controlnet.ControlNetConfig;
import io.cascadefarm.cascade.net.lora.LoraTargets;
import io.cascadefarm.cascade.net.lora.LoraVariants;
import io.cascadefarm.cascade.net.stagec.StageC;
import io.cascadefarm.cascade.nn.LibtorchContext;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.SafetensorsWeights;
import io.cascadefarm.cascade.nn.ScriptKernels;
import io.cascadefarm.cascade.nn.WeightBinder;
import io.cascadefarm.cascade.nn.WeightSource;
import io.cascadefarm.cascade.text.ClipTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Loads every network of a variant from a {@link ModelLayout} (strict key/shape check per file;
 * BF16 files are widened to float32 in Java) into one new manager on the given device; each network
 * is then put into its precision ({@link Precision#forNetwork}, {@link Precision#apply}).
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
      Precision precision,
      Device device) {
    List<Path> missing = layout.missingFor(lite);
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "model '" + name + "' is incomplete under " + layout.root() + "; missing " + missing);
    }
    long start = System.nanoTime();
    Float vqScale =
        ModelLayout.fromDiffusers(layout.stageA(), layout.diffusersStageA())
            ? DiffusersWeights.vqganScaleFactor(layout.diffusersStageA())
            : null;
    NetworkSet nets = new NetworkSet(vqScale == null ? configs : configs.withStageAScale(vqScale));
    NDManager manager = NDManager.newBaseManager(device);
    ClipTextEncoder text = null;
    try {
      boolean hasEffnet = Files.isRegularFile(layout.effnet());
      boolean hasPreviewer = Files.isRegularFile(layout.previewer());
      for (var e : nets.byFile(layout, lite).entrySet()) {
        Module net = e.getValue();
        if (net == nets.text
            || net == nets.vision
            || (net == nets.effnet && !hasEffnet)
            || (net == nets.previewer && !hasPreviewer)) {
          continue;
        }
        if (net == nets.stageC
            && ModelLayout.fromDiffusers(e.getKey(), layout.diffusersStageC(lite))) {
          bindDiffusers(
              net, layout.diffusersStageC(lite), DiffusersWeights.Component.PRIOR, manager);
        } else if (net == nets.stageB
            && ModelLayout.fromDiffusers(e.getKey(), layout.diffusersStageB(lite))) {
          bindDiffusers(
              net, layout.diffusersStageB(lite), DiffusersWeights.Component.DECODER, manager);
        } else if (net == nets.stageA
            && ModelLayout.fromDiffusers(e.getKey(), layout.diffusersStageA())) {
          bindDiffusers(net, layout.diffusersStageA(), DiffusersWeights.Component.VQGAN, manager);
        } else {
          bind(net, e.getKey(), manager);
        }
      }
      Kernels kernels = new Kernels(manager);
      Precisions p = new Precisions(precision, name, device);
      p.apply(nets.stageC, Network.STAGE_C, kernels);
      p.apply(nets.stageB, Network.STAGE_B, kernels);
      p.apply(nets.stageA, Network.STAGE_A, kernels);
      if (hasPreviewer) {
        p.apply(nets.previewer, Network.PREVIEWER, kernels);
      }
      if (precision.tf32(name, device)) {
        LibtorchContext.setTf32CuBlas(true);
      }
      ClipTokenizer tokenizer = ClipTokenizer.load(layout.tokenizer());
      try (ClipWeights src = ClipWeights.open(layout.textEncoder())) {
        text = ClipTextEncoder.create(tokenizer, configs.text(), src, manager);
      }
      p.apply(text.model(), Network.CLIP_TEXT, kernels);
      ClipImageEncoder image;
      try (ClipWeights src = ClipWeights.open(layout.imageEncoder())) {
        image = ClipImageEncoder.create(configs.vision(), src, manager);
      }
      p.apply(image.model(), Network.CLIP_VISION, kernels);
      Precision stageCPrecision = p.of(Network.STAGE_C);
      return new CascadeModels(
          name,
          description,
          text,
          image,
          CascadeDiffusionModels.stageC(nets.stageC),
          CascadeDiffusionModels.stageB(nets.stageB),
          nets.stageA::decode,
          hasPreviewer ? nets.previewer::preview : null,
          hasEffnet ? new EffnetLatents(nets.effnet) : missingEffnet(layout),
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
              manager,
              // merged in float32, then cast like the base (kernels of the copy's own manager)
              (merged, copyManager) ->
                  stageCPrecision.apply(merged, Network.STAGE_C, new Kernels(copyManager))),
          manager,
          (System.nanoTime() - start) / 1_000_000,
          new CascadeModels.Networks(nets.stageC, nets.stageB, nets.stageA),
          null);
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

  /**
   * A fine-tuned model on top of its loaded {@code base}: the stage {@code v} replaces, bound from
   * its file (strict key and shape check, so the file must have the official layout) and put into
   * the base's precision, in a new manager on {@code device}; everything else is the base's.
   */
  static CascadeModels derive(
      CascadeModels base, FineTunedVariant v, Precision precision, Device device) {
    if (base.networks() == null) {
      throw new UnsupportedOperationException(
          "model " + base.name() + " does not expose its networks: cannot derive " + v.name());
    }
    long start = System.nanoTime();
    NDManager manager = NDManager.newBaseManager(device);
    try {
      Kernels kernels = new Kernels(manager);
      Precisions p = new Precisions(precision, base.name(), device);
      CascadeModels.Networks b = base.networks();
      String description =
          v.name() + " (Stage " + v.stage() + " fine-tuned from " + base.name() + ")";
      if (v.stage() == FineTunedVariant.Stage.C) {
        StageC net = new StageC(b.stageC().config());
        bind(net, v.weights(), manager);
        p.apply(net, Network.STAGE_C, kernels);
        Precision stageCPrecision = p.of(Network.STAGE_C);
        return new CascadeModels(
            v.name(),
            description,
            base.text(),
            base.image(),
            CascadeDiffusionModels.stageC(net),
            base.stageB(),
            base.stageA(),
            base.previewer(),
            base.effnet(),
            base.controlNets(),
            new LoraVariants<>(
                net,
                () -> new StageC(net.config()),
                LoraTargets.OFFICIAL_FILTERS,
                LORA_COPIES,
                manager,
                (merged, copyManager) ->
                    stageCPrecision.apply(merged, Network.STAGE_C, new Kernels(copyManager))),
            manager,
            (System.nanoTime() - start) / 1_000_000,
            new CascadeModels.Networks(net, b.stageB(), b.stageA()),
            base);
      }
      io.cascadefarm.cascade.net.stageb.StageB net =
          new io.cascadefarm.cascade.net.stageb.StageB(b.stageB().config());
      bind(net, v.weights(), manager);
      p.apply(net, Network.STAGE_B, kernels);
      return new CascadeModels(
          v.name(),
          description,
          base.text(),
          base.image(),
          base.stageC(),
          CascadeDiffusionModels.stageB(net),
          base.stageA(),
          base.previewer(),
          base.effnet(),
          base.controlNets(),
          base.stageCLoras(),
          manager,
          (System.nanoTime() - start) / 1_000_000,
          new CascadeModels.Networks(b.stageC(), net, b.stageA()),
          base);
    } catch (IOException e) {
      manager.close();
      throw new UncheckedIOException("cannot load model '" + v.name() + "'", e);
    } catch (RuntimeException | Error e) {
      manager.close();
      throw e;
    }
  }

  /** The per-network precisions of one load. */
  private record Precisions(Precision requested, String variant, Device device) {
    Precision of(Network n) {
      return requested.forNetwork(n, variant, device);
    }

    void apply(Module net, Network n, Kernels kernels) {
      of(n).apply(net, n, kernels);
    }
  }

  /** The variant's kernel module, loaded under {@code manager} on first need. */
  private static final class Kernels implements Supplier<ScriptKernels> {
    private final NDManager manager;
    private ScriptKernels kernels;

    Kernels(NDManager manager) {
      this.manager = manager;
    }

    @Override
    public synchronized ScriptKernels get() {
      if (kernels == null) {
        kernels = ScriptKernels.load(manager);
      }
      return kernels;
    }
  }

  /** The stand-in when the EfficientNet encoder is not installed (a diffusers-only checkpoint). */
  private static ImageLatentEncoder missingEffnet(ModelLayout layout) {
    return new ImageLatentEncoder() {
      @Override
      public NDArray encode(NDArray rgb) {
        throw new UnsupportedOperationException(
            "this kind needs the EfficientNet encoder "
                + layout.effnet()
                + " (official layout; a diffusers checkpoint has none)");
      }

      @Override
      public int stride() {
        return 32;
      }
    };
  }

  private static void bindDiffusers(
      Module net, Path dir, DiffusersWeights.Component component, NDManager manager)
      throws IOException {
    try (WeightSource src = DiffusersWeights.open(dir, component)) {
      WeightBinder.bind(net, src, manager);
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot close " + dir, e);
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
