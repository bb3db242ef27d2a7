package io.cascadefarm.cascade.net.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClipImageEncoderTest {
  private static NDManager manager;
  private static RandomWeights weights;
  private static ClipImageEncoder encoder;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
    weights = new RandomWeights(new ClipVisionModel(ClipVisionConfig.tiny()), 11);
    encoder = ClipImageEncoder.create(ClipVisionConfig.tiny(), weights, manager);
  }

  @AfterAll
  static void tearDown() {
    encoder.close();
    manager.close();
  }

  @Test
  void encodesToBatchOneProjection() {
    try (NDManager out = manager.newSubManager()) {
      NDArray images = out.randomUniform(0, 1, new Shape(2, 3, 40, 33));
      NDArray emb = encoder.encode(images, out);
      assertArrayEquals(new long[] {2, 1, 24}, emb.getShape().getShape());
      assertArrayEquals(new long[] {3, 1, 24}, encoder.zeros(3, out).getShape().getShape());
    }
  }

  @Test
  void matchesThePlainJavaReference() {
    int s = 28;
    Random r = new Random(3);
    float[] pix = new float[3 * s * s];
    for (int i = 0; i < pix.length; i++) {
      pix[i] = r.nextFloat();
    }
    try (NDManager out = manager.newSubManager()) {
      NDArray images = out.create(pix, new Shape(1, 3, s, s));
      float[] got = encoder.encode(images, out).toFloatArray();
      double[][][] img = new double[3][s][s];
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < s; y++) {
          for (int x = 0; x < s; x++) {
            img[c][y][x] =
                (pix[(c * s + y) * s + x] - ClipImagePreprocessor.MEAN[c])
                    / ClipImagePreprocessor.STD[c];
          }
        }
      }
      double[] want = new ReferenceClip(weights::values).vision(ClipVisionConfig.tiny(), img);
      for (int k = 0; k < want.length; k++) {
        assertEquals(want[k], got[k], 2e-4, "embed " + k);
      }
    }
  }

  @Test
  void preprocessCropsTheCentreWithPythonRounding() {
    ClipImagePreprocessor pre = new ClipImagePreprocessor(28);
    try (NDManager out = manager.newSubManager()) {
      // already 28 high: no resize; (43 - 28) / 2 = 7.5 rounds half-to-even to 8
      NDArray img = out.arange(3f * 28 * 43).reshape(1, 3, 28, 43).div(3f * 28 * 43);
      NDArray got = pre.apply(img);
      assertArrayEquals(new long[] {1, 3, 28, 28}, got.getShape().getShape());
      NDArray mean = out.create(ClipImagePreprocessor.MEAN, new Shape(1, 3, 1, 1));
      NDArray std = out.create(ClipImagePreprocessor.STD, new Shape(1, 3, 1, 1));
      NDArray want = img.get(":, :, :, 8:36").sub(mean).div(std);
      assertArrayEquals(want.toFloatArray(), got.toFloatArray(), 1e-6f);
    }
  }

  @Test
  void preprocessResizesShorterSideBicubic() {
    ClipImagePreprocessor pre = new ClipImagePreprocessor(28);
    try (NDManager out = manager.newSubManager()) {
      NDArray flat = out.full(new Shape(2, 3, 90, 56), 0.25f);
      float[] got = pre.apply(flat).toFloatArray();
      assertEquals(2 * 3 * 28 * 28, got.length);
      for (int c = 0; c < 3; c++) {
        float want = (0.25f - ClipImagePreprocessor.MEAN[c]) / ClipImagePreprocessor.STD[c];
        assertEquals(want, got[c * 28 * 28 + 100], 1e-5f);
      }
      assertThrows(IllegalArgumentException.class, () -> pre.apply(out.zeros(new Shape(3, 8, 8))));
    }
  }
}
