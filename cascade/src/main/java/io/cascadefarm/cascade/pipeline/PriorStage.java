package io.cascadefarm.cascade.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.diffusion.DiffusionModel;
import io.cascadefarm.cascade.diffusion.GdfSampler;
import io.cascadefarm.cascade.diffusion.SamplerSettings;
import io.cascadefarm.cascade.model.CascadeModels;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stage C sampling (official inference/text_to_image.ipynb, train/train_c.py get_conditions): text
 * tokens + pooled + image embeddings (zeros except for image variation and a prior with an image;
 * several images are concatenated) against the unconditional text with zero image embeddings of the
 * same shape; x0 of the last step is the result. Starts from the caller's latents when given
 * (text-to-image, variation, prior).
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
      NDArray controlXInit,
      NoiseStreams noise) {
    GenerationRequest q = plan.first();
    int rows = plan.size();
    Shape shape =
        new Shape(rows, CHANNELS, LatentSizes.stageC(q.height()), LatentSizes.stageC(q.width()));
    NDArray clipImage =
        q.kind().embedsImages()
                || plan.requests().stream()
                    .anyMatch(r -> r.embeddings().containsKey("image_embeds"))
            ? ImageInputs.clipEmbeddings(models, plan, manager)
            : models.image().zeros(rows, manager);
    NDArray zeroImage = clipImage.zerosLike();
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
              ImageInputs.noisedLatents(models, plan, manager, q.priorStartTime(), noise);
          case CONTROLNET -> controlXInit;
          default -> ImageInputs.givenLatents(plan, manager);
        };
    SamplerSettings settings = q.priorSampling();
    StepBridge bridge =
        new StepBridge("prior", listener, LatentPreviews.of(models.previewer(), plan));
    return new GdfSampler(stageC)
        .sample(
            manager,
            cond,
            uncond,
            shape,
            settings,
            xInit,
            noise.stream("prior"),
            bridge,
            plan.groups())
        .x0();
  }
}
