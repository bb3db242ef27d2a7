package io.cascadefarm.cascade.pipeline.control;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.pipeline.ImageTensors;
import java.awt.image.BufferedImage;
import java.util.List;

/** Images and masks to tensors for the ControlNet filters. */
final class ControlImages {
  private ControlImages() {}

  /** RGB [0,1] (B,3,h,w) of the images, each scaled to cover w x h and centre-cropped. */
  static NDArray rgb(NDManager manager, List<BufferedImage> images, int w, int h) {
    int plane = 3 * w * h;
    float[] all = new float[images.size() * plane];
    for (int i = 0; i < images.size(); i++) {
      BufferedImage fitted = ImageTensors.coverCrop(images.get(i), w, h);
      System.arraycopy(ImageTensors.toChw(fitted, w, h), 0, all, i * plane, plane);
    }
    return manager.create(all, new Shape(images.size(), 3, h, w));
  }

  /**
   * A mask image as a w x h plane: 1 where the pixel's luminance is above one half (white =
   * generate), 0 elsewhere. The mask is scaled and cropped exactly like the image.
   */
  static float[] maskPlane(BufferedImage mask, int w, int h) {
    float[] chw = ImageTensors.toChw(ImageTensors.coverCrop(mask, w, h), w, h);
    int plane = w * h;
    float[] out = new float[plane];
    for (int i = 0; i < plane; i++) {
      float lum = 0.299f * chw[i] + 0.587f * chw[plane + i] + 0.114f * chw[2 * plane + i];
      out[i] = lum > 0.5f ? 1f : 0f;
    }
    return out;
  }

  /** (B,1,h,w) from per-row planes. */
  static NDArray masks(NDManager manager, List<float[]> planes, int w, int h) {
    float[] all = new float[planes.size() * w * h];
    for (int i = 0; i < planes.size(); i++) {
      System.arraycopy(planes.get(i), 0, all, i * w * h, w * h);
    }
    return manager.create(all, new Shape(planes.size(), 1, h, w));
  }
}
