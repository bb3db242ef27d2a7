package io.cascadefarm.cascade.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** Moves images between {@link BufferedImage}s and [B,3,H,W] float tensors in [0,1]. */
final class ImageBatch {
  private ImageBatch() {}

  /** One image per row of {@code rgb} [B,3,H,W], clamped to [0,1] and rounded to 8 bits. */
  static List<BufferedImage> toImages(NDArray rgb) {
    long[] s = rgb.getShape().getShape();
    int b = (int) s[0];
    int h = (int) s[2];
    int w = (int) s[3];
    float[] data = rgb.toFloatArray();
    List<BufferedImage> out = new ArrayList<>(b);
    for (int i = 0; i < b; i++) {
      out.add(ImageTensors.toImage(data, i * 3 * h * w, h, w));
    }
    return out;
  }

  /** Stacks {@code images}, each resized to {@code width x height}, into [B,3,H,W]. */
  static NDArray toTensor(NDManager manager, List<BufferedImage> images, int width, int height) {
    int plane = 3 * width * height;
    float[] data = new float[images.size() * plane];
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(ImageTensors.toChw(images.get(i), width, height), 0, data, i * plane, plane);
    }
    return manager.create(data, new Shape(images.size(), 3, height, width));
  }
}
