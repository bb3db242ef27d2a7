package io.cascadefarm.cascade.net.controlnet;

import java.util.ArrayDeque;

/**
 * OpenCV's {@code cv2.Canny(img, low, high)} (aperture 3, L1 gradient) on an 8-bit H x W x C image
 * in plain Java: per-channel 3x3 Sobel with replicated borders, per pixel the channel with the
 * largest |dx|+|dy| (first on ties), non-maximum suppression in four directions with OpenCV's
 * fixed-point tan(22.5 deg) test, then hysteresis over 8-neighbourhoods from pixels above {@code
 * high}. Written from the algorithm's description; not checked bit-for-bit against OpenCV (no
 * OpenCV on the build machines).
 */
public final class CannyEdges {
  private static final int TG22 = 13573;

  private CannyEdges() {}

  /**
   * Edge map (1 = edge) of {@code pixels} (row-major H x W x C, values 0..255).
   *
   * @param low lower hysteresis threshold (floored, compared with {@code >})
   * @param high upper hysteresis threshold (floored, compared with {@code >})
   */
  public static boolean[] detect(int[] pixels, int h, int w, int c, double low, double high) {
    if (pixels.length != h * w * c) {
      throw new IllegalArgumentException(
          "canny: pixel count does not match " + h + "x" + w + "x" + c);
    }
    int lo = (int) Math.floor(Math.min(low, high));
    int hi = (int) Math.floor(Math.max(low, high));
    int[] dx = new int[h * w];
    int[] dy = new int[h * w];
    int[] mag = new int[h * w];
    gradients(pixels, h, w, c, dx, dy, mag);
    byte[] map = new byte[h * w];
    ArrayDeque<Integer> stack = new ArrayDeque<>();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        int m = mag[i];
        if (m > lo && isLocalMax(mag, h, w, x, y, dx[i], dy[i])) {
          map[i] = m > hi ? (byte) 2 : 0;
          if (m > hi) {
            stack.push(i);
          }
        } else {
          map[i] = 1;
        }
      }
    }
    return hysteresis(map, stack, h, w);
  }

  private static void gradients(int[] p, int h, int w, int c, int[] dx, int[] dy, int[] mag) {
    for (int y = 0; y < h; y++) {
      int ym = Math.max(y - 1, 0);
      int yp = Math.min(y + 1, h - 1);
      for (int x = 0; x < w; x++) {
        int xm = Math.max(x - 1, 0);
        int xp = Math.min(x + 1, w - 1);
        int best = -1;
        for (int k = 0; k < c; k++) {
          int gx =
              (at(p, w, c, ym, xp, k) + 2 * at(p, w, c, y, xp, k) + at(p, w, c, yp, xp, k))
                  - (at(p, w, c, ym, xm, k) + 2 * at(p, w, c, y, xm, k) + at(p, w, c, yp, xm, k));
          int gy =
              (at(p, w, c, yp, xm, k) + 2 * at(p, w, c, yp, x, k) + at(p, w, c, yp, xp, k))
                  - (at(p, w, c, ym, xm, k) + 2 * at(p, w, c, ym, x, k) + at(p, w, c, ym, xp, k));
          int m = Math.abs(gx) + Math.abs(gy);
          if (m > best) {
            best = m;
            dx[y * w + x] = gx;
            dy[y * w + x] = gy;
          }
        }
        mag[y * w + x] = best;
      }
    }
  }

  private static int at(int[] p, int w, int c, int y, int x, int k) {
    return p[(y * w + x) * c + k];
  }

  private static int magAt(int[] mag, int h, int w, int x, int y) {
    return x < 0 || y < 0 || x >= w || y >= h ? 0 : mag[y * w + x];
  }

  private static boolean isLocalMax(int[] mag, int h, int w, int x, int y, int gx, int gy) {
    int m = mag[y * w + x];
    long xs = Math.abs(gx);
    long ys = Math.abs(gy);
    long tg22x = xs * TG22;
    long yy = ys << 15;
    if (yy < tg22x) {
      return m > magAt(mag, h, w, x - 1, y) && m >= magAt(mag, h, w, x + 1, y);
    }
    long tg67x = tg22x + (xs << 16);
    if (yy > tg67x) {
      return m > magAt(mag, h, w, x, y - 1) && m >= magAt(mag, h, w, x, y + 1);
    }
    int s = (gx ^ gy) < 0 ? -1 : 1;
    return m > magAt(mag, h, w, x - s, y - 1) && m > magAt(mag, h, w, x + s, y + 1);
  }

  private static boolean[] hysteresis(byte[] map, ArrayDeque<Integer> stack, int h, int w) {
    while (!stack.isEmpty()) {
      int i = stack.pop();
      int y = i / w;
      int x = i % w;
      for (int ny = y - 1; ny <= y + 1; ny++) {
        for (int nx = x - 1; nx <= x + 1; nx++) {
          if (ny >= 0 && nx >= 0 && ny < h && nx < w && map[ny * w + nx] == 0) {
            map[ny * w + nx] = 2;
            stack.push(ny * w + nx);
          }
        }
      }
    }
    boolean[] edges = new boolean[h * w];
    for (int i = 0; i < edges.length; i++) {
      edges[i] = map[i] == 2;
    }
    return edges;
  }
}
