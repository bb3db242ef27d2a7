package io.cascadefarm.cascade.net.controlnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import nu.pattern.OpenCV;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/**
 * {@link CannyEdges} against OpenCV's own {@code Imgproc.Canny(src, dst, 100, 200)} (aperture 3, L1
 * gradient) on the filter's 224x224 3-channel uint8 path. The reference is OpenCV 4.9.0 from the
 * Maven Central artifact {@code org.openpnp:opencv:4.9.0-0}, whose jar bundles the native library
 * ({@code OpenCV.loadLocally()} extracts it from the jar; no network). Every pixel must agree.
 */
class CannyOpenCvTest {
  private static final int S = ControlFilters.CANNY_SIZE;

  @BeforeAll
  static void loadOpenCv() {
    OpenCV.loadLocally();
  }

  @Test
  void matchesOpenCvPixelForPixelOnVariedImages() {
    List<BufferedImage> images = images();
    long differing = 0;
    long edges = 0;
    for (int n = 0; n < images.size(); n++) {
      int[] hwc = hwc(images.get(n));
      boolean[] mine = CannyEdges.detect(hwc, S, S, 3, 100, 200);
      boolean[] ref = openCv(hwc, 3);
      int diff = 0;
      for (int i = 0; i < mine.length; i++) {
        diff += mine[i] != ref[i] ? 1 : 0;
        edges += ref[i] ? 1 : 0;
      }
      assertEquals(0, diff, "image " + n + ": pixels differing from OpenCV");
      differing += diff;
    }
    assertEquals(0, differing);
    assertTrue(edges > 5000, "the images must produce plenty of edges, got " + edges);
  }

  @Test
  void matchesOpenCvOnSingleChannelNoise() {
    Random random = new Random(7);
    for (int n = 0; n < 4; n++) {
      int[] gray = new int[S * S];
      for (int i = 0; i < gray.length; i++) {
        gray[i] = random.nextInt(256 >> n);
      }
      boolean[] mine = CannyEdges.detect(gray, S, S, 1, 100, 200);
      boolean[] ref = openCv(gray, 1);
      for (int i = 0; i < mine.length; i++) {
        assertEquals(ref[i], mine[i], "noise " + n + " pixel " + i);
      }
    }
  }

  private static boolean[] openCv(int[] hwc, int c) {
    Mat src = new Mat(S, S, c == 1 ? CvType.CV_8UC1 : CvType.CV_8UC3);
    byte[] bytes = new byte[hwc.length];
    for (int i = 0; i < hwc.length; i++) {
      bytes[i] = (byte) hwc[i];
    }
    src.put(0, 0, bytes);
    Mat dst = new Mat();
    Imgproc.Canny(src, dst, 100, 200);
    byte[] out = new byte[S * S];
    dst.get(0, 0, out);
    src.release();
    dst.release();
    boolean[] e = new boolean[S * S];
    for (int i = 0; i < e.length; i++) {
      e[i] = out[i] != 0;
    }
    return e;
  }

  private static int[] hwc(BufferedImage img) {
    int[] argb = img.getRGB(0, 0, S, S, null, 0, S);
    int[] out = new int[S * S * 3];
    for (int i = 0; i < argb.length; i++) {
      out[3 * i] = (argb[i] >> 16) & 0xff;
      out[3 * i + 1] = (argb[i] >> 8) & 0xff;
      out[3 * i + 2] = argb[i] & 0xff;
    }
    return out;
  }

  /** Shapes, text, gradients and noise at several contrasts (edges near both thresholds). */
  static List<BufferedImage> images() {
    List<BufferedImage> out = new ArrayList<>();
    Random random = new Random(42);
    for (int n = 0; n < 12; n++) {
      BufferedImage img = new BufferedImage(S, S, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = img.createGraphics();
      g.setRenderingHint(
          RenderingHints.KEY_ANTIALIASING,
          n % 2 == 0 ? RenderingHints.VALUE_ANTIALIAS_ON : RenderingHints.VALUE_ANTIALIAS_OFF);
      g.setPaint(
          new GradientPaint(0, 0, randomColor(random), S, S, randomColor(random), n % 3 == 0));
      g.fillRect(0, 0, S, S);
      for (int k = 0; k < 25; k++) {
        g.setColor(randomColor(random));
        g.setStroke(new BasicStroke(1 + random.nextInt(5)));
        int x = random.nextInt(S);
        int y = random.nextInt(S);
        int w = 5 + random.nextInt(90);
        int h = 5 + random.nextInt(90);
        switch (k % 4) {
          case 0 -> g.fillOval(x, y, w, h);
          case 1 -> g.drawLine(x, y, random.nextInt(S), random.nextInt(S));
          case 2 -> g.fillRect(x, y, w, h);
          default -> {
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 10 + random.nextInt(30)));
            g.drawString("Cascade", x - 40, y);
          }
        }
      }
      g.dispose();
      int noise = n * 6;
      if (noise > 0) {
        for (int y = 0; y < S; y++) {
          for (int x = 0; x < S; x++) {
            int rgb = img.getRGB(x, y);
            int r = clamp(((rgb >> 16) & 0xff) + random.nextInt(noise) - noise / 2);
            int gg = clamp(((rgb >> 8) & 0xff) + random.nextInt(noise) - noise / 2);
            int b = clamp((rgb & 0xff) + random.nextInt(noise) - noise / 2);
            img.setRGB(x, y, (r << 16) | (gg << 8) | b);
          }
        }
      }
      out.add(img);
    }
    return out;
  }

  private static Color randomColor(Random random) {
    return new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
