package io.cascadefarm.cascade.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpsTest {
  NDManager m;
  Random rnd = new Random(7);

  @BeforeEach
  void open() {
    m = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    m.close();
  }

  float[] rand(int n) {
    return ConvTransposeTest.random(rnd, n);
  }

  @Test
  void pixelShuffleUsesTorchChannelOrderAndRoundTrips() {
    int n = 1, c = 2, r = 2, h = 3, w = 2;
    float[] x = rand(n * c * r * r * h * w);
    NDArray xa = m.create(x, new Shape(n, c * r * r, h, w));
    float[] y = Resample.pixelShuffle(xa, r).toFloatArray();
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < h * r; i++) {
        for (int j = 0; j < w * r; j++) {
          int inC = ch * r * r + (i % r) * r + (j % r);
          float expect = x[(inC * h + i / r) * w + j / r];
          assertEquals(expect, y[(ch * h * r + i) * w * r + j]);
        }
      }
    }
    assertArrayEquals(x, Resample.pixelUnshuffle(Resample.pixelShuffle(xa, r), r).toFloatArray());
  }

  @Test
  void layerNorm2dNormalisesEachPixelOverChannels() {
    int c = 5, h = 3, w = 4;
    float[] x = rand(2 * c * h * w);
    float[] g = rand(c);
    float[] b = rand(c);
    NDArray y =
        Norms.layerNorm2d(m.create(x, new Shape(2, c, h, w)), m.create(g), m.create(b), 1e-6f);
    float[] got = y.toFloatArray();
    for (int n = 0; n < 2; n++) {
      for (int p = 0; p < h * w; p++) {
        double mean = 0, var = 0;
        for (int ch = 0; ch < c; ch++) {
          mean += x[(n * c + ch) * h * w + p];
        }
        mean /= c;
        for (int ch = 0; ch < c; ch++) {
          double d = x[(n * c + ch) * h * w + p] - mean;
          var += d * d;
        }
        var /= c;
        for (int ch = 0; ch < c; ch++) {
          int idx = (n * c + ch) * h * w + p;
          double expect = (x[idx] - mean) / Math.sqrt(var + 1e-6) * g[ch] + b[ch];
          assertEquals(expect, got[idx], 1e-5);
        }
      }
    }
    NDArray noAffine = Norms.layerNorm2d(m.create(x, new Shape(2, c, h, w)), null, null, 1e-6f);
    assertEquals(0.0, noAffine.mean(new int[] {1}).abs().max().getFloat(), 1e-6);
  }

  @Test
  void bilinearAlignCornersMatchesDefinition() {
    int h = 3, w = 4, oh = 5, ow = 7;
    float[] x = rand(h * w);
    float[] y = Resample.bilinearAc(m.create(x, new Shape(1, 1, h, w)), oh, ow).toFloatArray();
    for (int i = 0; i < oh; i++) {
      for (int j = 0; j < ow; j++) {
        double sy = i * (h - 1.0) / (oh - 1), sx = j * (w - 1.0) / (ow - 1);
        int y0 = (int) Math.floor(sy), x0 = (int) Math.floor(sx);
        int y1 = Math.min(y0 + 1, h - 1), x1 = Math.min(x0 + 1, w - 1);
        double fy = sy - y0, fx = sx - x0;
        double v =
            (1 - fy) * ((1 - fx) * x[y0 * w + x0] + fx * x[y0 * w + x1])
                + fy * ((1 - fx) * x[y1 * w + x0] + fx * x[y1 * w + x1]);
        assertEquals(v, y[i * ow + j], 1e-5, "at " + i + "," + j);
      }
    }
  }

  @Test
  void nearestAreaAndBicubicModesRun() {
    NDArray x = m.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
    assertArrayEquals(
        new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4},
        Resample.interpolate(x, 4, 4, Resample.Mode.NEAREST, false).toFloatArray());
    assertArrayEquals(
        new float[] {2.5f},
        Resample.interpolate(x, 1, 1, Resample.Mode.AREA, false).toFloatArray());
    float[] cubic = Resample.interpolate(x, 3, 3, Resample.Mode.BICUBIC, true).toFloatArray();
    assertEquals(1f, cubic[0], 1e-6);
    assertEquals(2.5f, cubic[4], 1e-6);
  }

  @Test
  void geluIsExactErfForm() {
    NDArray x = m.create(new float[] {-3f, -1f, 0.5f, 2f});
    float[] y = Ops.gelu(x).toFloatArray();
    double[] expect = {
      -0.0040496584, -0.15865525, 0.34573123, 1.9544997
    }; // x*Phi(x); tanh form gives 0.3457140 at 0.5
    for (int i = 0; i < 4; i++) {
      assertEquals(expect[i], y[i], 2e-6);
    }
    assertEquals(
        2f * (1f / (1f + (float) Math.exp(-2f))),
        Ops.silu(m.create(new float[] {2f})).getFloat(0),
        1e-6);
    assertEquals(-0.4f, Ops.leakyRelu(m.create(new float[] {-2f}), 0.2f).getFloat(0), 1e-7);
  }

  @Test
  void multiHeadAttentionMatchesManualComputation() {
    int b = 1, lq = 3, lk = 4, c = 4, heads = 2, d = c / heads;
    float[] q = rand(lq * c), kv = rand(lk * c), win = rand(3 * c * c), bin = rand(3 * c);
    float[] wo = rand(c * c), bo = rand(c);
    NDArray out =
        Attention.multiHead(
            m.create(q, new Shape(b, lq, c)),
            m.create(kv, new Shape(b, lk, c)),
            m.create(win, new Shape(3 * c, c)),
            m.create(bin),
            m.create(wo, new Shape(c, c)),
            m.create(bo),
            heads);
    double[][] qp = proj(q, lq, win, bin, 0, c),
        kp = proj(kv, lk, win, bin, c, c),
        vp = proj(kv, lk, win, bin, 2 * c, c);
    double[][] ctx = new double[lq][c];
    for (int h = 0; h < heads; h++) {
      for (int i = 0; i < lq; i++) {
        double[] s = new double[lk];
        double mx = -1e30, sum = 0;
        for (int j = 0; j < lk; j++) {
          for (int e = 0; e < d; e++) {
            s[j] += qp[i][h * d + e] * kp[j][h * d + e];
          }
          s[j] /= Math.sqrt(d);
          mx = Math.max(mx, s[j]);
        }
        for (int j = 0; j < lk; j++) {
          s[j] = Math.exp(s[j] - mx);
          sum += s[j];
        }
        for (int j = 0; j < lk; j++) {
          for (int e = 0; e < d; e++) {
            ctx[i][h * d + e] += s[j] / sum * vp[j][h * d + e];
          }
        }
      }
    }
    float[] got = out.toFloatArray();
    for (int i = 0; i < lq; i++) {
      for (int o = 0; o < c; o++) {
        double v = bo[o];
        for (int e = 0; e < c; e++) {
          v += ctx[i][e] * wo[o * c + e];
        }
        assertEquals(v, got[i * c + o], 1e-4);
      }
    }
  }

  private static double[][] proj(float[] x, int l, float[] w, float[] b, int row0, int c) {
    double[][] out = new double[l][c];
    for (int i = 0; i < l; i++) {
      for (int o = 0; o < c; o++) {
        double v = b[row0 + o];
        for (int e = 0; e < c; e++) {
          v += x[i * c + e] * w[(row0 + o) * c + e];
        }
        out[i][o] = v;
      }
    }
    return out;
  }

  @Test
  void batchNormAndGroupNormMatchDefinitions() {
    int c = 4;
    float[] x = rand(2 * c * 3);
    float[] mean = rand(c), g = rand(c), b = rand(c);
    float[] var = {0.5f, 1f, 1.5f, 2f};
    float[] y =
        Norms.batchNorm(
                m.create(x, new Shape(2, c, 3, 1)),
                m.create(mean),
                m.create(var),
                m.create(g),
                m.create(b),
                1e-3f)
            .toFloatArray();
    for (int i = 0; i < y.length; i++) {
      int ch = (i / 3) % c;
      assertEquals((x[i] - mean[ch]) / Math.sqrt(var[ch] + 1e-3) * g[ch] + b[ch], y[i], 1e-5);
    }
    float[] z =
        Norms.groupNorm(m.create(x, new Shape(2, c, 3)), 2, null, null, 1e-5f).toFloatArray();
    for (int grp = 0; grp < 4; grp++) {
      double s = 0, ss = 0;
      for (int i = 0; i < 6; i++) {
        s += x[grp * 6 + i];
      }
      double mu = s / 6;
      for (int i = 0; i < 6; i++) {
        ss += (x[grp * 6 + i] - mu) * (x[grp * 6 + i] - mu);
      }
      for (int i = 0; i < 6; i++) {
        assertEquals((x[grp * 6 + i] - mu) / Math.sqrt(ss / 6 + 1e-5), z[grp * 6 + i], 1e-5);
      }
    }
  }

  @Test
  void conv2dSupportsGroups() {
    float[] x = rand(2 * 3 * 3);
    float[] w = rand(2 * 9);
    NDArray y =
        Ops.conv2d(
            m.create(x, new Shape(1, 2, 3, 3)), m.create(w, new Shape(2, 1, 3, 3)), null, 1, 1, 2);
    float[] got = y.toFloatArray();
    double center = 0;
    for (int a = 0; a < 9; a++) {
      center += x[9 + a] * w[9 + a];
    }
    assertEquals(center, got[9 + 4], 1e-5);
  }
}
