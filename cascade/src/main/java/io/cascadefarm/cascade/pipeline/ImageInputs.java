package io.cascadefarm.cascade.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.diffusion.ScheduleStep;
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

  /**
   * CLIP image embeddings [B,N,D] of each row's input image and its request's extra images (N = 1 +
   * extra images), concatenated on dim 1 in order as diffusers' {@code encode_image} does; each
   * image is preprocessed at its own size. A request's precomputed {@code image_embeds} ([1 or
   * images, N, D]) replaces its rows; a request without an input image gets zeros [1, 1, D].
   */
  static NDArray clipEmbeddings(CascadeModels models, BatchPlan plan, NDManager manager) {
    NDList rows = new NDList();
    java.util.Map<Integer, NDArray> perRequest = new java.util.HashMap<>();
    for (BatchPlan.Row row : plan.rows()) {
      GenerationRequest q = plan.request(row);
      HostTensor given = q.embeddings().get("image_embeds");
      if (given != null) {
        rows.add(TextInputs.rowOf(given, row.image(), "image_embeds", manager));
        continue;
      }
      NDArray embeds =
          perRequest.computeIfAbsent(
              row.request(),
              r -> {
                if (q.image() == null) {
                  return models.image().zeros(1, manager);
                }
                NDList parts = new NDList();
                List<BufferedImage> all = new java.util.ArrayList<>();
                all.add(q.image());
                all.addAll(q.extraImages());
                for (BufferedImage img : all) {
                  NDArray rgb =
                      ImageBatch.toTensor(manager, List.of(img), img.getWidth(), img.getHeight());
                  parts.add(models.image().encode(rgb, manager));
                }
                return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 1);
              });
      rows.add(embeds);
    }
    return NDArrays.concat(rows);
  }

  /**
   * The Stage C latents a decode request gives ({@code image_embeddings}, [1 or images, 16, h, w]),
   * one row per batch row.
   */
  static NDArray decodeLatents(BatchPlan plan, NDManager manager) {
    NDList rows = new NDList();
    for (BatchPlan.Row row : plan.rows()) {
      HostTensor t = plan.request(row).embeddings().get(TensorFiles.PRIOR_LATENTS);
      if (t == null) {
        throw new IllegalArgumentException(
            "a decode request needs the Stage C latents (" + TensorFiles.PRIOR_LATENTS + ")");
      }
      rows.add(TextInputs.rowOf(t, row.image(), TensorFiles.PRIOR_LATENTS, manager));
    }
    return NDArrays.concat(rows);
  }

  /** Caller-supplied initial latents of every row ([images, C, h, w] per request), or null. */
  static NDArray givenLatents(BatchPlan plan, NDManager manager) {
    if (plan.first().latents() == null) {
      return null;
    }
    NDList rows = new NDList();
    for (BatchPlan.Row row : plan.rows()) {
      rows.add(TextInputs.rowOf(plan.request(row).latents(), row.image(), "latents", manager));
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
  static NDArray noisedLatents(
      CascadeModels models, BatchPlan plan, NDManager manager, float t, NoiseStreams noise) {
    NDArray x0 = effnetLatents(models, plan, manager);
    Shape shape = x0.getShape();
    NDArray eps = noise.stream("img2img").initial(manager, shape);
    ScheduleStep at = ScheduleStep.at(t, 1.0);
    return x0.mul(at.a()).add(eps.mul(at.b()));
  }
}
