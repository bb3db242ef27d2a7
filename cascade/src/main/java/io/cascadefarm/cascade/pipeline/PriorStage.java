package io.cascadefarm.cascade.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.diffusion.DiffusionModel;
import io.cascadefarm.cascade.diffusion.GdfSampler;
import io.cascadefarm.cascade.diffusion.SamplerSettings;
import io.cascadefarm.cascade.diffusion.SeededNoise;
import io.cascadefarm.cascade.model.CascadeModels;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stage C sampling (official inference/text_to_image.ipynb, train/train_c.py get_conditions): text
 * tokens + pooled + image embedding (zeros except for image variation) against the unconditional
 * text with zero image embedding; x0 of the last step is the result.
 */
final class PriorStage {
  /** Stage C latent channels (the EfficientNet latent width). */
  static final int CHANNELS = 16;

  private PriorStage() {}

  static NDArray run(
      CascadeModels models,
      DiffusionModel stageC,
      BatchPlan plan,
      TextInputs text,
      NDManager manager,
      GenerationListener listener,
      NDArray controlXInit) {
    GenerationRequest q = plan.first();
    int rows = plan.size();
    Shape shape =
        new Shape(rows, CHANNELS, LatentSizes.stageC(q.height()), LatentSizes.stageC(q.width()));
    NDArray zeroImage = models.image().zeros(rows, manager);
    NDArray clipImage =
        q.kind() == GenerationKind.IMAGE_VARIATION
            ? ImageInputs.clipEmbeddings(models, plan, manager)
            : zeroImage;
    Map<String, NDArray> cond = new LinkedHashMap<>();
    cond.put("clip_text", text.cond().tokens());
    cond.put("clip_text_pooled", text.cond().pooled());
    cond.put("clip_img", clipImage);
    Map<String, NDArray> uncond = new LinkedHashMap<>();
    uncond.put("clip_text", text.priorUncond().tokens());
    uncond.put("clip_text_pooled", text.priorUncond().pooled());
    uncond.put("clip_img", zeroImage);
    NDArray xInit =
        switch (q.kind()) {
          case IMAGE_TO_IMAGE ->
              ImageInputs.noisedLatents(models, plan, manager, q.priorStartTime());
          case CONTROLNET -> controlXInit;
          default -> null;
        };
    SamplerSettings settings = new SamplerSettings(q.prior(), q.priorStartTime());
    StepBridge bridge = new StepBridge("prior", listener, models.previewer(), q.previewEvery());
    return new GdfSampler(stageC)
        .sample(
            manager,
            cond,
            uncond,
            shape,
            settings,
            xInit,
            new SeededNoise(plan.rowSeeds(), "prior"),
            bridge,
            plan.groups())
        .x0();
  }
}
