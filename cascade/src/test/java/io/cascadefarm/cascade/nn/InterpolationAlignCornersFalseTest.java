package io.cascadefarm.cascade.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/**
 * align_corners=False values of {@code F.interpolate} computed by hand from PyTorch's rules ({@code
 * src = (dst+0.5)*in/out - 0.5}, clamped at 0 for linear; cubic A=-0.75 with clamped border taps).
 * DJL's JNI {@code interpolate} cannot serve as an oracle: its boolean is not align_corners and it
 * returns antialiased values when downsampling.
 */
class InterpolationAlignCornersFalseTest {

  @Test
  void linearDownsampleMatchesTorch() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.arange(0f, 12f).reshape(1, 1, 1, 12);
      float[] y = Resample.interpolate(x, 1, 5, Resample.Mode.BILINEAR, false).toFloatArray();
      assertArrayEquals(new float[] {0.7f, 3.1f, 5.5f, 7.9f, 10.3f}, y, 1e-5f);
    }
  }

  @Test
  void cubicUpsampleMatchesTorch() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {0, 1, 4, 9, 16}).reshape(1, 1, 1, 5);
      float[] y = Resample.interpolate(x, 1, 11, Resample.Mode.BICUBIC, false).toFloatArray();
      // i=0: src=-0.2727, taps (-2,-1,0,1) clamp to (0,0,0,1): only x[1]=1 contributes, weight
      // cubic_convolution2(1.2727) = -0.10819
      assertEquals(-0.108190, y[0], 1e-5);
      assertEquals(4.0, y[5], 1e-6);
    }
  }

  @Test
  void nearestAndAreaFollowTorchIndexRules() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.arange(0f, 10f).reshape(1, 1, 10, 1);
      assertArrayEquals(
          new float[] {0, 2, 5, 7},
          Resample.interpolate(x, 4, 1, Resample.Mode.NEAREST, false).toFloatArray());
      // adaptive average pooling bins [0,3) [2,5) [5,8) [7,10)
      assertArrayEquals(
          new float[] {1, 3, 6, 8},
          Resample.interpolate(x, 4, 1, Resample.Mode.AREA, false).toFloatArray(),
          1e-6f);
    }
  }
}
