package io.cascadefarm.cascade.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.diffusion.GdfSampler;
import io.cascadefarm.cascade.diffusion.SamplerSettings;
import io.cascadefarm.cascade.model.CascadeModels;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stage B sampling (official inference/text_to_image.ipynb, train/train_b.py get_conditions):
 * conditioned on the Stage C latents and the pooled prompt, against zero latents and the pooled
 * decoder negative prompt (empty by default); x0 of the last step is decoded by Stage A. Starts
 * from the caller's latents for decode and reconstruct when given.
 */
final class DecoderStage {
  /** Stage B latent channels (Stage A's latent width). */
  static final int CHANNELS = 4;

  private DecoderStage() {}

  static NDArray run(
      CascadeModels models,
      BatchPlan plan,
      TextInputs text,
      NDArray effnet,
      NDManager manager,
      GenerationListener listener,
      NoiseStreams noise) {
    GenerationRequest q = plan.first();
    Shape shape =
        new Shape(
            plan.size(), CHANNELS, LatentSizes.stageB(q.height()), LatentSizes.stageB(q.width()));
    Map<String, NDArray> cond = new LinkedHashMap<>();
    cond.put("effnet", effnet);
    cond.put("clip", text.cond().pooled());
    Map<String, NDArray> uncond = new LinkedHashMap<>();
    uncond.put("effnet", effnet.zerosLike());
    uncond.put("clip", text.decoderUncond().pooled());
    SamplerSettings settings = q.decoderSampling();
    NDArray xInit = q.kind().latentsStartDecoder() ? ImageInputs.givenLatents(plan, manager) : null;
    return new GdfSampler(models.stageB())
        .sample(
            manager,
            cond,
            uncond,
            shape,
            settings,
            xInit,
            noise.stream("decoder"),
            new StepBridge("decoder", listener, null),
            plan.groups())
        .x0();
  }
}
