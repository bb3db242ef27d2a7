package io.cascadefarm.cascade.model;

import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.diffusion.DiffusionModel;
import io.cascadefarm.cascade.net.clip.ClipImageEncoder;
import io.cascadefarm.cascade.net.clip.ClipTextEncoder;
import io.cascadefarm.cascade.net.lora.LoraVariants;
import io.cascadefarm.cascade.net.stagea.StageA;
import io.cascadefarm.cascade.net.stageb.StageB;
import io.cascadefarm.cascade.net.stagec.StageC;

/**
 * One resident model variant: every network with its weights, owned by {@link #manager()}. Networks
 * are used concurrently only through their forward methods, which do not mutate state.
 *
 * @param name variant name ({@code tiny}, {@code lite}, {@code big})
 * @param description how the variant reports itself (tiny: "tiny (random weights, output is
 *     noise)")
 * @param controlNets the variant's ControlNets, loaded on first use (null: none)
 * @param stageCLoras LoRA-merged Stage C copies and LoRA text encoders (null: LoRAs unsupported)
 * @param manager owns all weights; closed by {@link #close()}
 * @param loadMillis wall-clock time the load took
 * @param networks the bound Stage C, B and A modules (for trainers; null when not exposed)
 * @param base the variant this one is derived from (a fine-tuned model: it shares the base's
 *     encoders, Stage A, previewer and ControlNets, and its other stage), null for a base variant
 */
public record CascadeModels(
    String name,
    String description,
    ClipTextEncoder text,
    ClipImageEncoder image,
    DiffusionModel stageC,
    DiffusionModel stageB,
    LatentDecoder stageA,
    LatentPreviewer previewer,
    ImageLatentEncoder effnet,
    ControlNets controlNets,
    LoraVariants<StageC> stageCLoras,
    NDManager manager,
    long loadMillis,
    Networks networks,
    CascadeModels base)
    implements AutoCloseable {

  /** The bound stage networks of a variant. */
  public record Networks(StageC stageC, StageB stageB, StageA stageA) {}

  /** A base variant that does not expose its stage networks. */
  public CascadeModels(
      String name,
      String description,
      ClipTextEncoder text,
      ClipImageEncoder image,
      DiffusionModel stageC,
      DiffusionModel stageB,
      LatentDecoder stageA,
      LatentPreviewer previewer,
      ImageLatentEncoder effnet,
      ControlNets controlNets,
      LoraVariants<StageC> stageCLoras,
      NDManager manager,
      long loadMillis) {
    this(
        name,
        description,
        text,
        image,
        stageC,
        stageB,
        stageA,
        previewer,
        effnet,
        controlNets,
        stageCLoras,
        manager,
        loadMillis,
        null,
        null);
  }

  /** Frees this variant's own networks (a derived variant leaves its base's shared ones alone). */
  @Override
  public void close() {
    if (base != null) {
      if (stageCLoras != null && stageCLoras != base.stageCLoras()) {
        stageCLoras.close();
      }
      manager.close();
      return;
    }
    if (stageCLoras != null) {
      stageCLoras.close();
    }
    if (text != null) {
      text.close();
    }
    if (image != null) {
      image.close();
    }
    manager.close();
  }
}
