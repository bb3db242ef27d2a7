package io.cascadefarm.cascade.net.controlnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.net.effnet.EfficientNetEncoder;
import io.cascadefarm.cascade.net.effnet.EffnetEncoderConfig;
import io.cascadefarm.cascade.net.stagea.TinyWeights;
import org.junit.jupiter.api.Test;

class ControlFiltersTest {
  @Test
  void cannyMapHasTheImageSizeAndFindsAStep() {
    try (NDManager m = NDManager.newBaseManager()) {
      int h = 240;
      int w = 320;
      float[] px = new float[2 * 3 * h * w];
      for (int i = 0; i < px.length; i++) {
        int x = i % w;
        int n = i / (3 * h * w);
        px[i] = n == 1 && x >= w / 2 ? 0.9f : 0.1f;
      }
      NDArray edges = ControlFilters.canny(m.create(px, new Shape(2, 3, h, w)));
      assertArrayEquals(new long[] {2, 1, h, w}, edges.getShape().getShape());
      assertEquals(0f, edges.get(0).max().getFloat(), "flat image");
      assertTrue(edges.get(1).max().getFloat() > 0.2f, "step image");
      assertTrue(edges.max().getFloat() <= 1f && edges.min().getFloat() >= 0f);
    }
  }

  @Test
  void inpaintWhitensTheMaskedRegionAndAppendsTheMask() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray rgb = m.randomUniform(0, 1, new Shape(1, 3, 4, 4));
      float[] mk = new float[16];
      mk[5] = 1;
      NDArray out = ControlFilters.inpaint(rgb, m.create(mk, new Shape(1, 1, 4, 4)));
      assertArrayEquals(new long[] {1, 4, 4, 4}, out.getShape().getShape());
      float[] o = out.toFloatArray();
      float[] in = rgb.toFloatArray();
      assertEquals(1f, o[5]);
      assertEquals(in[6], o[6]);
      assertEquals(1f, o[48 + 5]);
      assertEquals(0f, o[48 + 6]);
      assertThrows(
          IllegalArgumentException.class,
          () -> ControlFilters.inpaint(rgb, m.zeros(new Shape(1, 1, 4, 5))));
    }
  }

  @Test
  void superResolutionInputIsNearestUpscaledEffnetLatents() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      EfficientNetEncoder effnet =
          TinyWeights.bind(new EfficientNetEncoder(EffnetEncoderConfig.tiny()), "effnet_tiny", m);
      NDArray rgb = m.randomUniform(0, 1, new Shape(1, 3, 64, 96));
      NDArray sr = ControlFilters.superResolution(effnet, rgb);
      assertArrayEquals(new long[] {1, 16, 4, 6}, sr.getShape().getShape());
      float[] lat = effnet.encode(rgb).toFloatArray();
      float[] up = sr.toFloatArray();
      assertEquals(lat[0], up[0]);
      assertEquals(lat[0], up[6 + 1]);
      assertEquals(lat[2], up[4]);
    }
  }
}
