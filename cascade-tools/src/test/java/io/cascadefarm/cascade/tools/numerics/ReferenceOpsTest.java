package io.cascadefarm.cascade.tools.numerics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The float64 references against values worked out by hand, so the sweep's yardstick is right. */
class ReferenceOpsTest {
  @Test
  void convolutionWithPaddingStrideAndGroups() {
    // 1x1x3x3 input 1..9, 3x3 kernel of ones, padding 1, stride 2: sums of the 2x2 corners
    float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    float[] w = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    double[] y = ReferenceOps.conv2d(x, 1, 1, 3, 3, w, 1, 3, new float[] {0.5f}, 2, 1, 1);
    assertArrayEquals(new double[] {12.5, 16.5, 24.5, 28.5}, y, 1e-12);
    // depthwise: channel c scaled by its own 1x1 weight
    double[] d =
        ReferenceOps.conv2d(
            new float[] {1, 2, 3, 4}, 1, 2, 1, 2, new float[] {10, -1}, 2, 1, null, 1, 0, 2);
    assertArrayEquals(new double[] {10, 20, -3, -4}, d, 1e-12);
  }

  @Test
  void linearAndMatMul() {
    double[] y =
        ReferenceOps.linear(
            new float[] {1, 2}, 1, 2, new float[] {3, 4, 5, 6}, 2, new float[] {1, 0});
    assertArrayEquals(new double[] {12, 17}, y, 1e-12);
    double[] m =
        ReferenceOps.matMul(new float[] {1, 2, 3, 4}, new float[] {5, 6, 7, 8}, 1, 2, 2, 2);
    assertArrayEquals(new double[] {19, 22, 43, 50}, m, 1e-12);
  }

  @Test
  void attentionOfEqualScoresAveragesTheValues() {
    double[] y =
        ReferenceOps.attention(
            new float[] {0, 0}, new float[] {1, 2, 3, 4}, new float[] {2, 4, 6, 8}, 1, 1, 2, 2);
    assertArrayEquals(new double[] {4, 6}, y, 1e-12);
  }

  @Test
  void norms() {
    double[] ln =
        ReferenceOps.layerNorm(new float[] {1, 3}, 1, 2, new float[] {2, 2}, new float[] {1, 1}, 0);
    assertArrayEquals(new double[] {-1, 3}, ln, 1e-12);
    double[] bn =
        ReferenceOps.batchNorm(
            new float[] {5},
            1,
            1,
            1,
            new float[] {1},
            new float[] {4},
            new float[] {1},
            new float[] {0},
            0);
    assertArrayEquals(new double[] {2}, bn, 1e-12);
    double[] gn =
        ReferenceOps.groupNorm(
            new float[] {1, 3, 10, 10}, 1, 2, 2, 1, new float[] {1, 1}, new float[] {0, 0}, 0);
    // one group over both channels: mean 6, biased variance (25 + 9 + 16 + 16) / 4 = 16.5
    assertEquals(-5 / Math.sqrt(16.5), gn[0], 1e-12);
    assertEquals(4 / Math.sqrt(16.5), gn[3], 1e-12);
  }

  @Test
  void interpolationFollowsPyTorchsIndexRules() {
    // bilinear align_corners=True doubling 1D [0, 3] to 4 samples: 0, 1, 2, 3
    double[] ac = ReferenceOps.bilinear(new float[] {0, 3}, 1, 1, 2, 1, 4, true);
    assertArrayEquals(new double[] {0, 1, 2, 3}, ac, 1e-6);
    // align_corners=False: src = (dst + 0.5) / 2 - 0.5 -> 0 (clamped), 0.25, 0.75, 1.25 -> 0, 0.75,
    // 2.25, 3 (x1 clamps to the last sample)
    double[] hp = ReferenceOps.bilinear(new float[] {0, 3}, 1, 1, 2, 1, 4, false);
    assertArrayEquals(new double[] {0, 0.75, 2.25, 3}, hp, 1e-6);
    // nearest 3 -> 2: floor(dst * 1.5) = 0, 1
    assertArrayEquals(
        new double[] {7, 8}, ReferenceOps.nearest(new float[] {7, 8, 9}, 1, 1, 3, 1, 2), 0);
  }

  @Test
  void activationsAgreeWithKnownValues() {
    assertEquals(0.8427007929497149, ReferenceOps.erf(1), 1e-15);
    assertEquals(0.9999779095030014, ReferenceOps.erf(3), 1e-15);
    assertEquals(-0.9999999845827421, ReferenceOps.erf(-4), 1e-15);
    assertEquals(1.9544997361036416, ReferenceOps.gelu(new float[] {2})[0], 1e-14);
    assertEquals(1.7615941559557649, ReferenceOps.silu(new float[] {2})[0], 1e-14);
  }
}
