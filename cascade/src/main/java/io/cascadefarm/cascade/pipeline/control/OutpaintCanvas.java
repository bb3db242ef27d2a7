package io.cascadefarm.cascade.pipeline.control;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Outpainting layout: the input image is placed, centred and with its aspect ratio kept, on a white
 * canvas of the output size; the mask marks the new area (1 = generate). An image smaller than the
 * canvas in both dimensions keeps its size; a larger one (or one as large) is scaled to fit {@value
 * #FIT} of the canvas in each dimension, so there is always a border to generate.
 *
 * @param image the canvas with the image placed on it
 * @param mask w x h plane, 1 outside the placed image
 */
record OutpaintCanvas(BufferedImage image, float[] mask) {
  static final double FIT = 0.75;

  static OutpaintCanvas place(BufferedImage src, int w, int h) {
    double scale = 1;
    if (src.getWidth() >= w || src.getHeight() >= h) {
      scale = Math.min(FIT * w / src.getWidth(), FIT * h / src.getHeight());
    }
    int iw = Math.max(1, (int) Math.round(src.getWidth() * scale));
    int ih = Math.max(1, (int) Math.round(src.getHeight() * scale));
    int x0 = (w - iw) / 2;
    int y0 = (h - ih) / 2;
    BufferedImage canvas = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(src, x0, y0, iw, ih, null);
    } finally {
      g.dispose();
    }
    float[] mask = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean inside = x >= x0 && x < x0 + iw && y >= y0 && y < y0 + ih;
        mask[y * w + x] = inside ? 0f : 1f;
      }
    }
    return new OutpaintCanvas(canvas, mask);
  }
}
