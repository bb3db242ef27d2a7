package io.cascadefarm.cascade.pipeline.control;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.net.saliency.MicroResNet;
import io.cascadefarm.cascade.nn.Resample;
import io.cascadefarm.cascade.pipeline.ImageTensors;
import java.awt.image.BufferedImage;

/**
 * The official {@code InpaintFilter} mask without a user mask (official
 * modules/cnet_modules/inpainting/saliency_model.py): saliency of the image resized so its shorter
 * side is 240 (antialiased), thresholded at {@value #THRESHOLD} (the inference notebook's value),
 * inverted for outpainting, nearest-resized to the image size, Gaussian-blurred with kernel {@value
 * #BLUR_KERNEL} and thresholded at 0.5.
 */
final class SaliencyMasks {
  static final float THRESHOLD = 0.2f;
  static final int BLUR_KERNEL = 141;
  static final int SHORT_SIDE = 240;

  private SaliencyMasks() {}

  /** Mask plane (1 = generate) of {@code image}, which is already at the output size w x h. */
  static float[] mask(
      MicroResNet net, BufferedImage image, int w, int h, boolean invert, NDManager manager) {
    double scale = (double) SHORT_SIDE / Math.min(w, h);
    int sw = Math.max(SHORT_SIDE, (int) Math.round(w * scale));
    int sh = Math.max(SHORT_SIDE, (int) Math.round(h * scale));
    if (w < h) {
      sw = SHORT_SIDE;
    } else {
      sh = SHORT_SIDE;
    }
    BufferedImage small = ImageTensors.resize(image, sw, sh);
    float[] bool;
    try (NDManager m = manager.newSubManager()) {
      NDArray rgb = m.create(ImageTensors.toChw(small, sw, sh), new Shape(1, 3, sh, sw));
      NDArray sal = net.forward(rgb);
      NDArray hit = sal.gt(THRESHOLD).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
      if (invert) {
        hit = hit.neg().add(1f);
      }
      bool = Resample.interpolate(hit, h, w, Resample.Mode.NEAREST, false).toFloatArray();
    }
    float[] blurred = GaussianBlur.blur(bool, w, h, BLUR_KERNEL);
    float[] out = new float[w * h];
    for (int i = 0; i < out.length; i++) {
      out[i] = blurred[i] > 0.5f ? 1f : 0f;
    }
    return out;
  }
}
