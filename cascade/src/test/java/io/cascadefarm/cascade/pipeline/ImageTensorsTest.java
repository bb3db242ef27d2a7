package io.cascadefarm.cascade.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImageTensorsTest {

  @Test
  void coverCropKeepsTheAspectAndTheCentre() {
    // 200x100: left half red, right half blue, a green stripe in the middle columns 95..104
    BufferedImage img = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 100; y++) {
      for (int x = 0; x < 200; x++) {
        img.setRGB(x, y, x >= 95 && x < 105 ? 0x00ff00 : x < 100 ? 0xff0000 : 0x0000ff);
      }
    }
    BufferedImage square = ImageTensors.coverCrop(img, 50, 50);
    assertEquals(50, square.getWidth());
    assertEquals(50, square.getHeight());
    // scaled to 100x50, cropped x 25..75: red at the left edge, blue at the right, green centre
    assertEquals(0xff0000, square.getRGB(2, 25) & 0xffffff);
    assertEquals(0x0000ff, square.getRGB(47, 25) & 0xffffff);
    assertEquals(0xff, (square.getRGB(25, 25) >> 8) & 0xff);
  }

  @Test
  void planarFloatsRoundTrip() {
    BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    img.setRGB(1, 1, 0x336699);
    float[] chw = ImageTensors.toChw(img, 3, 2);
    assertEquals(0x33 / 255f, chw[4]);
    assertEquals(0x66 / 255f, chw[6 + 4]);
    assertEquals(0x99 / 255f, chw[12 + 4]);
    assertEquals(0x336699, ImageTensors.toImage(chw, 0, 2, 3).getRGB(1, 1) & 0xffffff);
  }
}
