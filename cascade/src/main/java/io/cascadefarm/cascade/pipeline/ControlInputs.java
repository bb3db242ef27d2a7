package io.cascadefarm.cascade.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.model.CascadeModels;
import io.cascadefarm.cascade.net.controlnet.ControlFilters;
import io.cascadefarm.cascade.net.controlnet.ControlNet;
import io.cascadefarm.cascade.nn.Resample;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * ControlNet conditioning of a batch (spec 2.9, 5.10): the request images, scaled to cover and
 * centre-cropped to the Stage C latent size times the encoder stride, go through the type's filter
 * ({@code canny}: Canny edges; {@code inpainting}: masked pixels white + mask channel; {@code
 * super_resolution}: EfficientNet latents of the half-size image, nearest-upscaled x2) and the
 * ControlNet, whose projections are scaled by {@code controlStrength}.
 */
final class ControlInputs {
  private ControlInputs() {}

  static List<NDArray> projections(CascadeModels models, BatchPlan plan, NDManager manager) {
    GenerationRequest q = plan.first();
    if (models.controlNets() == null) {
      throw new UnsupportedOperationException("model " + models.name() + " has no ControlNets");
    }
    ControlNet net = models.controlNets().get(q.controlType());
    int stride = models.effnet().stride();
    int h = LatentSizes.stageC(q.height()) * stride;
    int w = LatentSizes.stageC(q.width()) * stride;
    NDArray input =
        switch (q.controlType()) {
          case "canny" -> ControlFilters.canny(rgb(plan, manager, w, h));
          case "inpainting" ->
              ControlFilters.inpaint(rgb(plan, manager, w, h), masks(plan, manager, w, h));
          case "super_resolution" -> superResolution(models, rgb(plan, manager, w / 2, h / 2));
          default ->
              throw new IllegalArgumentException(
                  "controlType: unknown ControlNet type " + q.controlType());
        };
    return net.forward(input, (float) q.controlStrength());
  }

  private static NDArray rgb(BatchPlan plan, NDManager manager, int w, int h) {
    List<BufferedImage> fitted =
        ImageInputs.images(plan).stream().map(i -> ImageTensors.coverCrop(i, w, h)).toList();
    return ImageBatch.toTensor(manager, fitted, w, h);
  }

  /** Masks as (B,1,h,w): the red channel of each request's mask image (white = generate). */
  private static NDArray masks(BatchPlan plan, NDManager manager, int w, int h) {
    List<BufferedImage> fitted =
        plan.rows().stream()
            .map(r -> ImageTensors.coverCrop(plan.request(r).mask(), w, h))
            .toList();
    return ImageBatch.toTensor(manager, fitted, w, h).get(":, 0:1, :, :");
  }

  private static NDArray superResolution(CascadeModels models, NDArray lowRes) {
    NDArray latents = models.effnet().encode(lowRes);
    long lh = latents.getShape().get(2);
    long lw = latents.getShape().get(3);
    return Resample.interpolate(latents, 2 * lh, 2 * lw, Resample.Mode.NEAREST, false);
  }
}
