package io.cascadefarm.cascade.model;

import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.diffusion.DiffusionModel;
import io.cascadefarm.cascade.net.clip.ClipImageEncoder;
import io.cascadefarm.cascade.net.clip.ClipTextEncoder;
import io.cascadefarm.cascade.net.lora.LoraVariants;
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
    long loadMillis)
    implements AutoCloseable {

  @Override
  public void close() {
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
