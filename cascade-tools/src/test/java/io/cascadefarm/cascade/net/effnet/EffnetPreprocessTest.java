package io.cascadefarm.cascade.net.effnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.nn.Resample;
import io.cascadefarm.cascade.tools.parity.Fixtures;
import io.cascadefarm.cascade.tools.parity.ParityComparator;
import org.junit.jupiter.api.Test;

class EffnetPreprocessTest {
  @Test
  void normalizeReproducesTheFixtureInput() throws Exception {
    try (NDManager m = NDManager.newBaseManager();
        SafetensorsReader io =
            SafetensorsReader.open(Fixtures.file("effnet_tiny.io.safetensors"))) {
      float[] got = EffnetPreprocess.normalize(io.load(m, "image")).toFloatArray();
      assertTrue(ParityComparator.relError(io.readFloats("x"), got) < 1e-6);
    }
  }

  @Test
  void halvingAveragesWithTheWidenedTriangleFilter() {
    float[] w = AntialiasResize.weights(8, 4);
    float[] row1 = {0, 1 / 8f, 3 / 8f, 3 / 8f, 1 / 8f, 0, 0, 0};
    float[] got = new float[8];
    System.arraycopy(w, 8, got, 0, 8);
    assertArrayEquals(row1, got, 1e-7f);
    float[] row0 = {3 / 7f, 3 / 7f, 1 / 7f, 0, 0, 0, 0, 0};
    System.arraycopy(w, 0, got, 0, 8);
    assertArrayEquals(row0, got, 1e-7f);
  }

  @Test
  void enlargingEqualsPlainBilinear() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.randomUniform(0, 1, new Shape(1, 3, 5, 7));
      float[] aa = AntialiasResize.resize(x, 11, 16).toFloatArray();
      float[] plain = Resample.interpolate(x, 11, 16, Resample.Mode.BILINEAR, false).toFloatArray();
      assertArrayEquals(plain, aa, 1e-6f);
    }
  }

  @Test
  void shorterSideResizeKeepsTheAspectRatioLikeTorchvision() {
    assertArrayEquals(new int[] {768, 1152}, EffnetPreprocess.shorterSideSize(1024, 1536, 768));
    assertArrayEquals(new int[] {1365, 768}, EffnetPreprocess.shorterSideSize(1024, 576, 768));
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.ones(new Shape(1, 3, 40, 60));
      NDArray y = EffnetPreprocess.resizeShorterSide(x, 16);
      assertArrayEquals(new long[] {1, 3, 16, 24}, y.getShape().getShape());
      assertEquals(1f, y.mean().getFloat(), 1e-6f);
    }
  }

  @Test
  void normalizeRejectsNonRgb() {
    try (NDManager m = NDManager.newBaseManager()) {
      assertThrows(
          IllegalArgumentException.class,
          () -> EffnetPreprocess.normalize(m.zeros(new Shape(1, 1, 4, 4))));
    }
  }
}
