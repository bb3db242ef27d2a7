package io.cascadefarm.cascade.pipeline.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlPiecesTest {

  @Test
  void controlTypesParseWithTheInpaintingAliasAndNameTheField() {
    assertEquals(ControlType.INPAINT, ControlType.parse("inpainting"));
    assertEquals(ControlType.OUTPAINT, ControlType.parse("outpaint"));
    assertEquals("inpainting", ControlType.OUTPAINT.variant());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ControlType.parse("scribble"));
    assertTrue(e.getMessage().startsWith("control:"), e.getMessage());
  }

  @Test
  void smallImageKeepsItsSizeCentredAndTheBorderIsMasked() {
    BufferedImage img = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
    OutpaintCanvas c = OutpaintCanvas.place(img, 100, 60);
    assertEquals(100 * 60 - 40 * 20, count(c.mask()));
    assertEquals(0f, c.mask()[40 * 100 + 50 - 100 * 10], "centre pixel kept");
    assertEquals(1f, c.mask()[0]);
    assertEquals(Color.BLACK.getRGB(), c.image().getRGB(50, 30));
    assertEquals(Color.WHITE.getRGB(), c.image().getRGB(2, 2));
  }

  @Test
  void largeImageIsScaledToThreeQuartersOfTheCanvas() {
    BufferedImage img = new BufferedImage(400, 400, BufferedImage.TYPE_INT_RGB);
    OutpaintCanvas c = OutpaintCanvas.place(img, 128, 64);
    assertEquals(128 * 64 - 48 * 48, count(c.mask()), "fits 0.75*64 = 48 px high");
  }

  @Test
  void gaussianKernelMatchesTorchvisionSigmaAndReflects() {
    float[] k = GaussianBlur.kernel(141);
    double sum = 0;
    for (float v : k) {
      sum += v;
    }
    assertEquals(1.0, sum, 1e-5);
    double sigma = 0.3 * ((141 - 1) * 0.5 - 1) + 0.8;
    assertEquals(21.5, sigma, 1e-9);
    assertEquals(Math.exp(-0.5 / (sigma * sigma)), k[71] / k[70], 1e-5);
    assertEquals(1, GaussianBlur.reflect(-1, 5));
    assertEquals(3, GaussianBlur.reflect(5, 5));
    assertEquals(2, GaussianBlur.reflect(10, 5), "mirrored twice");
    float[] flat = new float[] {0.5f, 0.5f, 0.5f, 0.5f};
    float[] out = GaussianBlur.blur(flat, 2, 2, 141);
    for (float v : out) {
      assertEquals(0.5f, v, 1e-5f);
    }
  }

  @Test
  void faceMapWritesEmbeddingsIntoRoundedBoxCells() {
    float[] e = {1f, -2f};
    // 128 x 96 image -> 4 x 3 grid; box x 40..100 -> cells round(1.25)=1 .. round(3.125)=3,
    // y 10..20 -> round(0.3125)=0 .. max(round(0.625)=1, 0+1)=1
    float[] map = FaceMap.build(List.of(new Face(40.7f, 10f, 100.9f, 20f, e)), 2, 128, 96);
    assertEquals(2 * 3 * 4, map.length);
    assertEquals(1f, map[1]);
    assertEquals(1f, map[2]);
    assertEquals(0f, map[0]);
    assertEquals(0f, map[3]);
    assertEquals(0f, map[4 + 1], "row 1 untouched");
    assertEquals(-2f, map[12 + 2]);
    assertEquals(2 + 2, countNonZero(map));
    assertThrows(
        IllegalArgumentException.class,
        () -> FaceMap.build(List.of(new Face(0, 0, 9, 9, new float[3])), 2, 128, 96));
  }

  private static int count(float[] mask) {
    int n = 0;
    for (float v : mask) {
      n += v > 0.5f ? 1 : 0;
    }
    return n;
  }

  private static int countNonZero(float[] a) {
    int n = 0;
    for (float v : a) {
      n += v != 0 ? 1 : 0;
    }
    return n;
  }
}
