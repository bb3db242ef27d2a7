package io.cascadefarm.cascade.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.diffusion.ScheduleStep;
import io.cascadefarm.cascade.diffusion.SeededNoise;
import io.cascadefarm.cascade.model.CascadeModels;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Conditioning derived from the requests' input images: CLIP image embeddings (image variation),
 * EfficientNet latents at the Stage C latent size (reconstruct, image-to-image) and the
 * image-to-image start latent {@code a*x0 + b*eps} at {@code t = strength} with shift 1 (spec
 * 5.10).
 */
final class ImageInputs {
  private ImageInputs() {}

  static List<BufferedImage> images(BatchPlan plan) {
    return plan.rows().stream().map(r -> plan.request(r).image()).toList();
  }

  /** CLIP image embeddings [B,1,D]; each image is preprocessed at its own size. */
  static NDArray clipEmbeddings(CascadeModels models, BatchPlan plan, NDManager manager) {
    NDList rows = new NDList();
    for (BufferedImage img : images(plan)) {
      NDArray rgb = ImageBatch.toTensor(manager, List.of(img), img.getWidth(), img.getHeight());
      rows.add(models.image().encode(rgb, manager));
    }
    return NDArrays.concat(rows);
  }

  /**
   * EfficientNet latents [B,16,hC,wC] of the input images, resized to the Stage C latent size times
   * the encoder stride (768 px for a 1024 px request with the official encoder).
   */
  static NDArray effnetLatents(CascadeModels models, BatchPlan plan, NDManager manager) {
    GenerationRequest q = plan.first();
    int stride = models.effnet().stride();
    int h = LatentSizes.stageC(q.height()) * stride;
    int w = LatentSizes.stageC(q.width()) * stride;
    List<BufferedImage> fitted =
        images(plan).stream().map(img -> ImageTensors.coverCrop(img, w, h)).toList();
    NDArray rgb = ImageBatch.toTensor(manager, fitted, w, h);
    return models.effnet().encode(rgb);
  }

  /** Start latent: effnet latents noised to time {@code t} with shift 1 ({@code gdf.diffuse}). */
  static NDArray noisedLatents(CascadeModels models, BatchPlan plan, NDManager manager, float t) {
    NDArray x0 = effnetLatents(models, plan, manager);
    Shape shape = x0.getShape();
    NDArray eps = new SeededNoise(plan.rowSeeds(), "img2img").initial(manager, shape);
    ScheduleStep at = ScheduleStep.at(t, 1.0);
    return x0.mul(at.a()).add(eps.mul(at.b()));
  }
}
