package io.cascadefarm.cascade.net.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.nn.WeightBinder;
import io.cascadefarm.cascade.nn.WeightSource;
import java.nio.file.Path;

/**
 * Image to Stable Cascade image conditioning ({@code clip_img}): {@link ClipImagePreprocessor} +
 * {@link ClipVisionModel}. Weights are owned by a sub-manager of the manager given at load time and
 * freed by {@link #close()}.
 */
public final class ClipImageEncoder implements AutoCloseable {
  private final ClipVisionModel model;
  private final ClipImagePreprocessor preprocessor;
  private final NDManager weights;

  private ClipImageEncoder(ClipVisionModel model, NDManager weights) {
    this.model = model;
    this.preprocessor = new ClipImagePreprocessor(model.config().imageSize());
    this.weights = weights;
  }

  /** Loads {@code image_encoder/model.safetensors} (strict key check; position_ids optional). */
  public static ClipImageEncoder load(Path weightsFile, ClipVisionConfig config, NDManager parent)
      throws Exception {
    try (ClipWeights source = ClipWeights.open(weightsFile)) {
      return create(config, source, parent);
    }
  }

  /** Binds {@code source} (strictly) to a new model in a sub-manager of {@code parent}. */
  public static ClipImageEncoder create(
      ClipVisionConfig config, WeightSource source, NDManager parent) {
    ClipVisionModel model = new ClipVisionModel(config);
    NDManager manager = parent.newSubManager();
    try {
      WeightBinder.bind(model, source, manager);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
    return new ClipImageEncoder(model, manager);
  }

  /**
   * @param images (B, 3, H, W) RGB in [0, 1], any size
   * @param out manager of the result
   * @return {@code clip_img} (B, 1, projectionDim) = (B, 1, 768) for the big encoder
   */
  public NDArray encode(NDArray images, NDManager out) {
    try (NDManager work = out.newSubManager()) {
      NDArray local = images.duplicate();
      local.attach(work);
      NDArray embeds = model.forward(preprocessor.apply(local));
      NDArray result = embeds.reshape(embeds.getShape().get(0), 1, model.config().projectionDim());
      result.attach(out);
      return result;
    }
  }

  /** The "no image" conditioning: zeros (B, 1, projectionDim), as the official code uses. */
  public NDArray zeros(int batch, NDManager out) {
    return out.zeros(new ai.djl.ndarray.types.Shape(batch, 1, model.config().projectionDim()));
  }

  public ClipVisionConfig config() {
    return model.config();
  }

  /** The key-compatible network (for key checks). */
  public ClipVisionModel model() {
    return model;
  }

  @Override
  public void close() {
    weights.close();
  }
}
