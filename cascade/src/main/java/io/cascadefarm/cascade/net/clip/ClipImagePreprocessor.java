package io.cascadefarm.cascade.net.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.nn.Resample;

/**
 * The official {@code clip_preprocess} on [0,1] RGB tensors (official train/train_c.py
 * clip_preprocess): resize so the shorter side is {@code size} (bicubic, align_corners=False, no
 * antialias — torchvision 0.16 tensor default; longer side {@code int(size * long / short)}),
 * centre crop {@code size} (offsets {@code round((h - size) / 2)}, half to even as Python),
 * normalize with the CLIP mean/std.
 */
public final class ClipImagePreprocessor {
  static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
  static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

  private final int size;

  public ClipImagePreprocessor(int size) {
    this.size = size;
  }

  /**
   * @param images (B, 3, H, W) RGB in [0, 1]
   * @return (B, 3, size, size) normalized, in the manager of {@code images}
   */
  public NDArray apply(NDArray images) {
    Shape s = images.getShape();
    if (s.dimension() != 4 || s.get(1) != 3) {
      throw new IllegalArgumentException("images must be (B, 3, H, W), got " + s);
    }
    long h = s.get(2);
    long w = s.get(3);
    long newH = h <= w ? size : (long) (size * (double) h / w);
    long newW = h <= w ? (long) (size * (double) w / h) : size;
    NDArray resized =
        (newH == h && newW == w)
            ? images
            : Resample.interpolate(images, newH, newW, Resample.Mode.BICUBIC, false);
    long top = Math.round(Math.rint((newH - size) / 2.0));
    long left = Math.round(Math.rint((newW - size) / 2.0));
    NDArray crop =
        resized.get(":, :, " + top + ":" + (top + size) + ", " + left + ":" + (left + size));
    NDArray mean = images.getManager().create(MEAN, new Shape(1, 3, 1, 1));
    NDArray std = images.getManager().create(STD, new Shape(1, 3, 1, 1));
    return crop.sub(mean).div(std);
  }
}
