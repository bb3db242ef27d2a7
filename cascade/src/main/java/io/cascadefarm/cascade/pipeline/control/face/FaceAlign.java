package io.cascadefarm.cascade.pipeline.control.face;

import java.awt.image.BufferedImage;

/**
 * InsightFace {@code norm_crop}: the similarity transform (rotation, uniform scale, translation;
 * least squares, as {@code SimilarityTransform.estimate} for non-reflected faces) taking the five
 * landmarks to the ArcFace 112x112 template, then a bilinear warp with black borders. Returns the
 * recognizer input: planar RGB, {@code (v - 127.5) / 127.5}.
 */
final class FaceAlign {
  static final int SIZE = 112;
  static final float[] TEMPLATE = {
    38.2946f, 51.6963f, 73.5318f, 51.5014f, 56.0252f, 71.7366f, 41.5493f, 92.3655f, 70.7299f,
    92.2041f
  };

  private FaceAlign() {}

  /** [a, b, tx, ty] with dst = (a*x - b*y + tx, b*x + a*y + ty). */
  static double[] similarity(float[] src, float[] dst) {
    int n = src.length / 2;
    double sx = 0;
    double sy = 0;
    double dx = 0;
    double dy = 0;
    for (int i = 0; i < n; i++) {
      sx += src[2 * i];
      sy += src[2 * i + 1];
      dx += dst[2 * i];
      dy += dst[2 * i + 1];
    }
    sx /= n;
    sy /= n;
    dx /= n;
    dy /= n;
    double num1 = 0;
    double num2 = 0;
    double den = 0;
    for (int i = 0; i < n; i++) {
      double xs = src[2 * i] - sx;
      double ys = src[2 * i + 1] - sy;
      double xd = dst[2 * i] - dx;
      double yd = dst[2 * i + 1] - dy;
      num1 += xs * xd + ys * yd;
      num2 += xs * yd - ys * xd;
      den += xs * xs + ys * ys;
    }
    double a = num1 / den;
    double b = num2 / den;
    return new double[] {a, b, dx - (a * sx - b * sy), dy - (b * sx + a * sy)};
  }

  /** The aligned, normalised 3x112x112 crop of {@code img} for landmarks {@code kps}. */
  static float[] crop(BufferedImage img, float[] kps) {
    double[] m = similarity(kps, TEMPLATE);
    double a = m[0];
    double b = m[1];
    double det = a * a + b * b;
    float[] out = new float[3 * SIZE * SIZE];
    for (int v = 0; v < SIZE; v++) {
      for (int u = 0; u < SIZE; u++) {
        double px = u - m[2];
        double py = v - m[3];
        double x = (a * px + b * py) / det;
        double y = (-b * px + a * py) / det;
        float[] rgb = bilinear(img, x, y);
        for (int c = 0; c < 3; c++) {
          out[c * SIZE * SIZE + v * SIZE + u] = (rgb[c] - 127.5f) / 127.5f;
        }
      }
    }
    return out;
  }

  private static float[] bilinear(BufferedImage img, double x, double y) {
    int x0 = (int) Math.floor(x);
    int y0 = (int) Math.floor(y);
    double fx = x - x0;
    double fy = y - y0;
    float[] out = new float[3];
    for (int j = 0; j < 2; j++) {
      for (int i = 0; i < 2; i++) {
        double w = (i == 0 ? 1 - fx : fx) * (j == 0 ? 1 - fy : fy);
        int xi = x0 + i;
        int yj = y0 + j;
        if (w == 0 || xi < 0 || yj < 0 || xi >= img.getWidth() || yj >= img.getHeight()) {
          continue;
        }
        int p = img.getRGB(xi, yj);
        out[0] += (float) (w * ((p >> 16) & 0xff));
        out[1] += (float) (w * ((p >> 8) & 0xff));
        out[2] += (float) (w * (p & 0xff));
      }
    }
    return out;
  }
}
