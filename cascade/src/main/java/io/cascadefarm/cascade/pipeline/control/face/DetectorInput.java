package io.cascadefarm.cascade.pipeline.control.face;

import io.cascadefarm.cascade.pipeline.ImageTensors;
import java.awt.image.BufferedImage;

/**
 * The detector's letterboxed input as the official {@code detect}: the image resized (aspect kept)
 * into the top-left of a black size x size square, planar RGB {@code (v - 127.5) / 128}.
 *
 * @param chw 3 x size x size input
 * @param scale resized height / original height
 */
record DetectorInput(float[] chw, float scale) {
  static DetectorInput of(BufferedImage img, int size) {
    int w = img.getWidth();
    int h = img.getHeight();
    int nw;
    int nh;
    if ((double) h / w > 1.0) {
      nh = size;
      nw = (int) (size / ((double) h / w));
    } else {
      nw = size;
      nh = (int) (size * ((double) h / w));
    }
    nw = Math.max(1, nw);
    nh = Math.max(1, nh);
    float[] small = ImageTensors.toChw(img, nw, nh);
    float[] chw = new float[3 * size * size];
    float black = -127.5f / 128f;
    java.util.Arrays.fill(chw, black);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < nh; y++) {
        for (int x = 0; x < nw; x++) {
          float v = small[c * nw * nh + y * nw + x] * 255f;
          chw[c * size * size + y * size + x] = (v - 127.5f) / 128f;
        }
      }
    }
    return new DetectorInput(chw, (float) nh / h);
  }
}
