package io.cascadefarm.cascade.tools.numerics;

/**
 * Plain-Java float64 implementations of the native op families the networks use, written directly
 * from PyTorch's definitions (NCHW, row-major), sharing no code with the port. Inputs are the
 * float32 values the native op received, widened to double, so the only differences left are
 * float32 rounding inside the native kernel.
 */
public final class ReferenceOps {
  private ReferenceOps() {}

  /**
   * {@code F.conv2d(x, w, b, stride, padding, groups)}: x (n, c, h, w), w (o, c/groups, k, k), b
   * (o) or null.
   */
  public static double[] conv2d(
      float[] x,
      int n,
      int c,
      int h,
      int wd,
      float[] w,
      int o,
      int k,
      float[] b,
      int stride,
      int pad,
      int groups) {
    int oh = (h + 2 * pad - k) / stride + 1;
    int ow = (wd + 2 * pad - k) / stride + 1;
    int cg = c / groups;
    int og = o / groups;
    double[] y = new double[n * o * oh * ow];
    for (int bi = 0; bi < n; bi++) {
      for (int oc = 0; oc < o; oc++) {
        int g = oc / og;
        for (int i = 0; i < oh; i++) {
          for (int j = 0; j < ow; j++) {
            double acc = b == null ? 0 : b[oc];
            for (int ci = 0; ci < cg; ci++) {
              int xc = g * cg + ci;
              for (int ki = 0; ki < k; ki++) {
                int yy = i * stride - pad + ki;
                if (yy < 0 || yy >= h) {
                  continue;
                }
                for (int kj = 0; kj < k; kj++) {
                  int xx = j * stride - pad + kj;
                  if (xx < 0 || xx >= wd) {
                    continue;
                  }
                  acc +=
                      (double) x[((bi * c + xc) * h + yy) * wd + xx]
                          * w[((oc * cg + ci) * k + ki) * k + kj];
                }
              }
            }
            y[((bi * o + oc) * oh + i) * ow + j] = acc;
          }
        }
      }
    }
    return y;
  }

  /** {@code F.linear}: x (rows, in), w (out, in), b (out) or null; result (rows, out). */
  public static double[] linear(float[] x, int rows, int in, float[] w, int out, float[] b) {
    double[] y = new double[rows * out];
    for (int r = 0; r < rows; r++) {
      for (int o = 0; o < out; o++) {
        double acc = b == null ? 0 : b[o];
        for (int i = 0; i < in; i++) {
          acc += (double) x[r * in + i] * w[o * in + i];
        }
        y[r * out + o] = acc;
      }
    }
    return y;
  }

  /** Batched {@code a @ b}: a (batch, m, k), b (batch, k, n); result (batch, m, n). */
  public static double[] matMul(float[] a, float[] b, int batch, int m, int k, int n) {
    double[] y = new double[batch * m * n];
    for (int t = 0; t < batch; t++) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double acc = 0;
          for (int p = 0; p < k; p++) {
            acc += (double) a[(t * m + i) * k + p] * b[(t * k + p) * n + j];
          }
          y[(t * m + i) * n + j] = acc;
        }
      }
    }
    return y;
  }

  /**
   * Scaled dot-product attention {@code softmax(q k^T / sqrt(d)) v} over (batch*heads) rows: q (bh,
   * lq, d), k and v (bh, lk, d); result (bh, lq, d).
   */
  public static double[] attention(float[] q, float[] k, float[] v, int bh, int lq, int lk, int d) {
    double[] y = new double[bh * lq * d];
    double scale = 1 / Math.sqrt(d);
    double[] s = new double[lk];
    for (int t = 0; t < bh; t++) {
      for (int i = 0; i < lq; i++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < lk; j++) {
          double acc = 0;
          for (int p = 0; p < d; p++) {
            acc += (double) q[(t * lq + i) * d + p] * k[(t * lk + j) * d + p];
          }
          s[j] = acc * scale;
          max = Math.max(max, s[j]);
        }
        double sum = 0;
        for (int j = 0; j < lk; j++) {
          s[j] = Math.exp(s[j] - max);
          sum += s[j];
        }
        for (int p = 0; p < d; p++) {
          double acc = 0;
          for (int j = 0; j < lk; j++) {
            acc += s[j] * v[(t * lk + j) * d + p];
          }
          y[(t * lq + i) * d + p] = acc / sum;
        }
      }
    }
    return y;
  }

  /** {@code F.layer_norm} over the last axis of (rows, c); gamma/beta (c). */
  public static double[] layerNorm(
      float[] x, int rows, int c, float[] gamma, float[] beta, double eps) {
    double[] y = new double[rows * c];
    for (int r = 0; r < rows; r++) {
      double mean = 0;
      for (int i = 0; i < c; i++) {
        mean += x[r * c + i];
      }
      mean /= c;
      double var = 0;
      for (int i = 0; i < c; i++) {
        double dv = x[r * c + i] - mean;
        var += dv * dv;
      }
      var /= c;
      double inv = 1 / Math.sqrt(var + eps);
      for (int i = 0; i < c; i++) {
        y[r * c + i] = (x[r * c + i] - mean) * inv * gamma[i] + beta[i];
      }
    }
    return y;
  }

  /** {@code F.group_norm} on (n, c, hw) with {@code groups}; gamma/beta (c). */
  public static double[] groupNorm(
      float[] x, int n, int c, int hw, int groups, float[] gamma, float[] beta, double eps) {
    double[] y = new double[n * c * hw];
    int per = c / groups * hw;
    for (int b = 0; b < n; b++) {
      for (int g = 0; g < groups; g++) {
        int base = (b * c + g * (c / groups)) * hw;
        double mean = 0;
        for (int i = 0; i < per; i++) {
          mean += x[base + i];
        }
        mean /= per;
        double var = 0;
        for (int i = 0; i < per; i++) {
          double dv = x[base + i] - mean;
          var += dv * dv;
        }
        var /= per;
        double inv = 1 / Math.sqrt(var + eps);
        for (int i = 0; i < per; i++) {
          int ch = g * (c / groups) + i / hw;
          y[base + i] = (x[base + i] - mean) * inv * gamma[ch] + beta[ch];
        }
      }
    }
    return y;
  }

  /** Eval-mode {@code F.batch_norm} on (n, c, hw) with running statistics. */
  public static double[] batchNorm(
      float[] x,
      int n,
      int c,
      int hw,
      float[] mean,
      float[] var,
      float[] gamma,
      float[] beta,
      double eps) {
    double[] y = new double[n * c * hw];
    for (int b = 0; b < n; b++) {
      for (int ch = 0; ch < c; ch++) {
        double inv = 1 / Math.sqrt(var[ch] + eps);
        for (int i = 0; i < hw; i++) {
          int at = (b * c + ch) * hw + i;
          y[at] = (x[at] - mean[ch]) * inv * gamma[ch] + beta[ch];
        }
      }
    }
    return y;
  }

  /**
   * {@code F.interpolate(x, size=(oh, ow), mode="bilinear", align_corners)} on (nc, h, w), with
   * PyTorch's float32 source-index rule ({@code area_pixel_compute_source_index}).
   */
  public static double[] bilinear(float[] x, int nc, int h, int w, int oh, int ow, boolean ac) {
    double[] y = new double[nc * oh * ow];
    for (int t = 0; t < nc; t++) {
      for (int i = 0; i < oh; i++) {
        float sy = sourceIndex(h, oh, i, ac);
        int y0 = (int) sy;
        int y1 = y0 + (y0 < h - 1 ? 1 : 0);
        double ly = sy - y0;
        for (int j = 0; j < ow; j++) {
          float sx = sourceIndex(w, ow, j, ac);
          int x0 = (int) sx;
          int x1 = x0 + (x0 < w - 1 ? 1 : 0);
          double lx = sx - x0;
          int base = t * h * w;
          y[(t * oh + i) * ow + j] =
              (1 - ly) * ((1 - lx) * x[base + y0 * w + x0] + lx * x[base + y0 * w + x1])
                  + ly * ((1 - lx) * x[base + y1 * w + x0] + lx * x[base + y1 * w + x1]);
        }
      }
    }
    return y;
  }

  private static float sourceIndex(int in, int out, int dst, boolean alignCorners) {
    if (alignCorners) {
      float scale = out > 1 ? (float) (in - 1) / (out - 1) : 0f;
      return scale * dst;
    }
    float scale = (float) in / out;
    float src = scale * (dst + 0.5f) - 0.5f;
    return src < 0 ? 0 : src;
  }

  /** {@code F.interpolate(x, size=(oh, ow), mode="nearest")} on (nc, h, w). */
  public static double[] nearest(float[] x, int nc, int h, int w, int oh, int ow) {
    double[] y = new double[nc * oh * ow];
    float sh = (float) h / oh;
    float sw = (float) w / ow;
    for (int t = 0; t < nc; t++) {
      for (int i = 0; i < oh; i++) {
        int yi = Math.min((int) Math.floor(i * sh), h - 1);
        for (int j = 0; j < ow; j++) {
          int xj = Math.min((int) Math.floor(j * sw), w - 1);
          y[(t * oh + i) * ow + j] = x[(t * h + yi) * w + xj];
        }
      }
    }
    return y;
  }

  /** Exact (erf) GELU, {@code x * Phi(x)}. */
  public static double[] gelu(float[] x) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = 0.5 * x[i] * (1 + erf(x[i] / Math.sqrt(2)));
    }
    return y;
  }

  /** SiLU {@code x * sigmoid(x)}. */
  public static double[] silu(float[] x) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i] / (1 + Math.exp(-x[i]));
    }
    return y;
  }

  /**
   * erf to ~1e-15 (Abramowitz-Stegun 7.1.26 is too coarse): the Maclaurin series for |x| < 3, and 1
   * - erfc from the continued fraction beyond.
   */
  static double erf(double x) {
    double ax = Math.abs(x);
    double r;
    if (ax < 3) {
      double term = ax;
      double sum = ax;
      for (int n = 1; n < 200; n++) {
        term *= -ax * ax / n;
        double add = term / (2 * n + 1);
        sum += add;
        if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
          break;
        }
      }
      r = 2 / Math.sqrt(Math.PI) * sum;
    } else {
      // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))) (Lentz from the
      // tail)
      double f = 0;
      for (int n = 60; n >= 1; n--) {
        f = n / 2.0 / (ax + f);
      }
      r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
    }
    return x < 0 ? -r : r;
  }
}
