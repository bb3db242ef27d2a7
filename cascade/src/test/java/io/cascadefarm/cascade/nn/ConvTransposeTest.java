package io.cascadefarm.cascade.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConvTransposeTest {

  /** Direct definition: y[n,o,i*s-p+a, j*s-p+b] += x[n,c,i,j] * w[c,o,a,b]. */
  static float[] bruteForce(
      float[] x,
      int n,
      int cin,
      int h,
      int wd,
      float[] w,
      int cout,
      int k,
      float[] bias,
      int s,
      int p,
      int op) {
    int oh = (h - 1) * s - 2 * p + k + op;
    int ow = (wd - 1) * s - 2 * p + k + op;
    double[] y = new double[n * cout * oh * ow];
    for (int b = 0; b < n; b++) {
      for (int c = 0; c < cin; c++) {
        for (int i = 0; i < h; i++) {
          for (int j = 0; j < wd; j++) {
            double xv = x[((b * cin + c) * h + i) * wd + j];
            for (int o = 0; o < cout; o++) {
              for (int a = 0; a < k; a++) {
                for (int e = 0; e < k; e++) {
                  int yi = i * s - p + a;
                  int yj = j * s - p + e;
                  if (yi >= 0 && yi < oh && yj >= 0 && yj < ow) {
                    y[((b * cout + o) * oh + yi) * ow + yj] +=
                        xv * w[((c * cout + o) * k + a) * k + e];
                  }
                }
              }
            }
          }
        }
      }
    }
    float[] out = new float[y.length];
    for (int idx = 0; idx < y.length; idx++) {
      int o = (idx / (oh * ow)) % cout;
      out[idx] = (float) (y[idx] + (bias == null ? 0 : bias[o]));
    }
    return out;
  }

  static float[] random(Random rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return v;
  }

  @ParameterizedTest
  @CsvSource({
    // k, s, p, op, h, w, cin, cout
    "2, 2, 0, 0, 5, 3, 6, 4", // stride == kernel fast path (Stage B/C upscalers)
    "3, 3, 0, 0, 2, 4, 3, 5", // stride == kernel, k=3
    "4, 2, 1, 0, 5, 3, 4, 3", // Stage A upsampler shape
    "3, 2, 1, 1, 4, 5, 2, 3", // output padding
    "3, 1, 1, 0, 4, 4, 2, 2" // stride 1
  })
  void matchesBruteForce(int k, int s, int p, int op, int h, int w, int cin, int cout) {
    Random rnd = new Random(42 + k * 7 + s);
    int n = 2;
    float[] x = random(rnd, n * cin * h * w);
    float[] wt = random(rnd, cin * cout * k * k);
    float[] b = random(rnd, cout);
    float[] expected = bruteForce(x, n, cin, h, w, wt, cout, k, b, s, p, op);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray xa = m.create(x, new Shape(n, cin, h, w));
      NDArray wa = m.create(wt, new Shape(cin, cout, k, k));
      NDArray ba = m.create(b, new Shape(cout));
      NDArray y = ConvTranspose.convTranspose2d(xa, wa, ba, s, p, op);
      int oh = (h - 1) * s - 2 * p + k + op;
      int ow = (w - 1) * s - 2 * p + k + op;
      assertArrayEquals(new long[] {n, cout, oh, ow}, y.getShape().getShape());
      float[] got = y.toFloatArray();
      for (int i = 0; i < got.length; i++) {
        assertEquals(expected[i], got[i], 1e-4f, "element " + i);
      }
    }
  }

  @Test
  void weightDerivedArraysDoNotLeakIntoTheWeightManager() {
    try (NDManager weights = NDManager.newBaseManager();
        NDManager acts = NDManager.newBaseManager()) {
      NDArray w = weights.randomNormal(new Shape(4, 3, 2, 2));
      NDArray b = weights.randomNormal(new Shape(3));
      int before = weights.getManagedArrays().size();
      try (NDManager call = acts.newSubManager()) {
        NDArray x = call.randomNormal(new Shape(1, 4, 3, 3));
        ConvTranspose.convTranspose2d(x, w, b, 2, 0, 0);
        ConvTranspose.convTranspose2d(x, w, b, 2, 1, 1);
      }
      assertEquals(before, weights.getManagedArrays().size());
    }
  }
}
