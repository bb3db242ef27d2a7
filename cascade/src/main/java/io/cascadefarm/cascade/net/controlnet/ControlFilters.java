package io.cascadefarm.cascade.net.controlnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.net.effnet.EfficientNetEncoder;
import io.cascadefarm.cascade.nn.Resample;

/**
 * Inference-time ControlNet inputs built from RGB images in [0,1] (B,3,H,W), following the official
 * filters: {@code CannyFilter(resize=224)}, {@code InpaintFilter} with a user mask, and the
 * super-resolution input of the inference notebook (effnet latents, nearest x2). The saliency-based
 * automatic inpainting mask and the face-identity filter are not provided.
 */
public final class ControlFilters {
  /** {@code CannyFilter} default working resolution. */
  public static final int CANNY_SIZE = 224;

  private ControlFilters() {}

  /**
   * {@code CannyFilter}: bilinear resize to 224x224 (align_corners=False, no antialias), uint8
   * truncation, Canny(100, 200), /255, bilinear back to (H, W): (B,1,H,W).
   */
  public static NDArray canny(NDArray rgb) {
    Shape s = rgb.getShape();
    int b = (int) s.get(0);
    int c = (int) s.get(1);
    NDArray small =
        Resample.interpolate(rgb, CANNY_SIZE, CANNY_SIZE, Resample.Mode.BILINEAR, false);
    float[] chw = small.toFloatArray();
    small.close();
    int plane = CANNY_SIZE * CANNY_SIZE;
    float[] edges = new float[b * plane];
    for (int n = 0; n < b; n++) {
      int[] hwc = new int[plane * c];
      for (int k = 0; k < c; k++) {
        for (int i = 0; i < plane; i++) {
          float v = chw[(n * c + k) * plane + i] * 255f;
          hwc[i * c + k] = v <= 0 ? 0 : v >= 255 ? 255 : (int) v;
        }
      }
      boolean[] e = CannyEdges.detect(hwc, CANNY_SIZE, CANNY_SIZE, c, 100, 200);
      for (int i = 0; i < plane; i++) {
        edges[n * plane + i] = e[i] ? 1f : 0f;
      }
    }
    NDManager m = rgb.getManager();
    NDArray map = m.create(edges, new Shape(b, 1, CANNY_SIZE, CANNY_SIZE));
    NDArray out = Resample.interpolate(map, s.get(2), s.get(3), Resample.Mode.BILINEAR, false);
    map.close();
    return out;
  }

  /**
   * {@code InpaintFilter} with a given mask ((B,1,H,W), values > 0.5 = region to generate): masked
   * pixels become white, the mask is appended as a 4th channel: (B,4,H,W).
   */
  public static NDArray inpaint(NDArray rgb, NDArray mask) {
    Shape s = rgb.getShape();
    Shape ms = mask.getShape();
    if (ms.dimension() != 4 || ms.get(1) != 1 || ms.get(2) != s.get(2) || ms.get(3) != s.get(3)) {
      throw new IllegalArgumentException(
          "inpaint mask: expected (B,1," + s.get(2) + "," + s.get(3) + "), got " + ms);
    }
    NDArray binary = mask.toType(DataType.FLOAT32, false).gt(0.5f).toType(DataType.FLOAT32, false);
    NDArray white = rgb.mul(binary.neg().add(1f)).add(binary);
    return white.concat(binary, 1);
  }

  /**
   * Super-resolution input of the inference notebook: effnet latents of the (low-resolution) image,
   * nearest-upscaled x2: (B,16,2H/32,2W/32).
   */
  public static NDArray superResolution(EfficientNetEncoder effnet, NDArray rgb) {
    NDArray latents = effnet.encode(rgb);
    Shape s = latents.getShape();
    NDArray out =
        Resample.interpolate(latents, 2 * s.get(2), 2 * s.get(3), Resample.Mode.NEAREST, false);
    latents.close();
    return out;
  }
}
