package io.cascadefarm.cascade.pipeline;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Conversions between images and planar RGB floats in [0,1] ({@code [3,H,W]}, row-major). Output
 * pixels are clamped to [0,1] and rounded to 8 bits (sRGB, no colour management).
 */
public final class ImageTensors {
  private ImageTensors() {}

  /** An RGB image from {@code chw} values of one image at {@code offset}, clamped and rounded. */
  public static BufferedImage toImage(float[] chw, int offset, int height, int width) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int plane = height * width;
    int[] rgb = new int[plane];
    for (int i = 0; i < plane; i++) {
      int r = to8Bit(chw[offset + i]);
      int g = to8Bit(chw[offset + plane + i]);
      int b = to8Bit(chw[offset + 2 * plane + i]);
      rgb[i] = (r << 16) | (g << 8) | b;
    }
    img.setRGB(0, 0, width, height, rgb, 0, width);
    return img;
  }

  static int to8Bit(float v) {
    float c = Float.isNaN(v) ? 0f : Math.min(Math.max(v, 0f), 1f);
    return Math.round(c * 255f);
  }

  /** Planar RGB floats in [0,1] of {@code img}, resized to {@code width x height} if needed. */
  public static float[] toChw(BufferedImage img, int width, int height) {
    BufferedImage src =
        img.getWidth() == width && img.getHeight() == height ? img : resize(img, width, height);
    int plane = width * height;
    int[] rgb = src.getRGB(0, 0, width, height, null, 0, width);
    float[] out = new float[3 * plane];
    for (int i = 0; i < plane; i++) {
      out[i] = ((rgb[i] >> 16) & 0xff) / 255f;
      out[plane + i] = ((rgb[i] >> 8) & 0xff) / 255f;
      out[2 * plane + i] = (rgb[i] & 0xff) / 255f;
    }
    return out;
  }

  /**
   * Scales {@code img} to cover {@code width x height} keeping its aspect ratio, then crops the
   * centre (so an input of another aspect is not distorted).
   */
  public static BufferedImage coverCrop(BufferedImage img, int width, int height) {
    double scale = Math.max((double) width / img.getWidth(), (double) height / img.getHeight());
    int w = Math.max(width, (int) Math.round(img.getWidth() * scale));
    int h = Math.max(height, (int) Math.round(img.getHeight() * scale));
    BufferedImage scaled = img.getWidth() == w && img.getHeight() == h ? img : resize(img, w, h);
    return scaled.getSubimage((w - width) / 2, (h - height) / 2, width, height);
  }

  /**
   * Resizes with bilinear filtering; large reductions go through halving steps first so the result
   * is antialiased (like torchvision's {@code antialias=True}, not bit-identical).
   */
  public static BufferedImage resize(BufferedImage img, int width, int height) {
    BufferedImage current = img;
    while (current.getWidth() / 2 >= width && current.getHeight() / 2 >= height) {
      current = draw(current, current.getWidth() / 2, current.getHeight() / 2);
    }
    return draw(current, width, height);
  }

  private static BufferedImage draw(BufferedImage img, int width, int height) {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(img, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return out;
  }
}
