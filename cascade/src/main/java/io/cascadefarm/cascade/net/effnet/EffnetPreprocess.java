package io.cascadefarm.cascade.net.effnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Image preparation before the EfficientNet encoder: optional antialiased bilinear resize (the
 * official image-to-image path resizes the shorter side to 768; the reconstruction demo instead
 * nearest-downscales by 3/4) and torchvision {@code Normalize} with the ImageNet mean/std.
 */
public final class EffnetPreprocess {
  /** ImageNet channel means (R, G, B). */
  public static final float[] MEAN = {0.485f, 0.456f, 0.406f};

  /** ImageNet channel standard deviations (R, G, B). */
  public static final float[] STD = {0.229f, 0.224f, 0.225f};

  private EffnetPreprocess() {}

  /** {@code (x - mean) / std} per channel of an RGB (B,3,H,W) tensor in [0,1]. */
  public static NDArray normalize(NDArray rgb) {
    if (rgb.getShape().dimension() != 4 || rgb.getShape().get(1) != 3) {
      throw new IllegalArgumentException(
          "effnet preprocess: expected RGB (B,3,H,W), got " + rgb.getShape());
    }
    Shape c = new Shape(1, 3, 1, 1);
    NDArray mean = rgb.getManager().create(MEAN, c);
    NDArray std = rgb.getManager().create(STD, c);
    return rgb.sub(mean).div(std);
  }

  /** Antialiased resize to exactly (h, w). */
  public static NDArray resize(NDArray rgb, int h, int w) {
    return AntialiasResize.resize(rgb, h, w);
  }

  /**
   * torchvision {@code Resize(shorter)} with antialias: the shorter side becomes {@code shorter},
   * the longer one {@code int(shorter * long / short)}.
   */
  public static NDArray resizeShorterSide(NDArray rgb, int shorter) {
    int[] hw = shorterSideSize((int) rgb.getShape().get(2), (int) rgb.getShape().get(3), shorter);
    return AntialiasResize.resize(rgb, hw[0], hw[1]);
  }

  /** Output (h, w) of a shorter-side resize, torchvision rounding (truncation). */
  public static int[] shorterSideSize(int h, int w, int shorter) {
    if (h <= w) {
      return new int[] {shorter, (int) ((long) shorter * w / h)};
    }
    return new int[] {(int) ((long) shorter * h / w), shorter};
  }

  /** Resize-then-normalise in one call (the usual encoder input). */
  public static NDArray prepare(NDArray rgb, int h, int w) {
    NDArray resized = resize(rgb, h, w);
    NDArray out = normalize(resized);
    resized.close();
    return out;
  }
}
