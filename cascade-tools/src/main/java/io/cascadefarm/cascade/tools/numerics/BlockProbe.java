package io.cascadefarm.cascade.tools.numerics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.net.common.AttnBlock;
import io.cascadefarm.cascade.net.common.ResBlock;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A whole UNet block on seeded weights, computed along one of its two inference paths (the one
 * TorchScript call of {@code BlockScripts}, or the op-by-op DJL forward), against a float64
 * reference written here from the block's definition: a {@link ResBlock} with a skip input
 * (depthwise conv, LayerNorm2d, concat, Linear, GELU, GRN, Linear, residual) or a self-attention
 * {@link AttnBlock} (SiLU + Linear on the condition, LayerNorm2d, multi-head attention, residual).
 * The two paths must agree with the reference (and so with each other) as the single ops do.
 */
public record BlockProbe(
    Kind kind, boolean scripted, int batch, int channels, int height, int width, long seed)
    implements OpProbe {

  /** Which block. */
  public enum Kind {
    /** {@code ResBlock(c, c_skip=c, kernel 3)} with a skip tensor of c channels. */
    RES,
    /** {@code AttnBlock(c, c_cond=c, nhead=2, self_attn=True)} with 5 condition tokens. */
    ATTN
  }

  private static final int COND_TOKENS = 5;
  private static final int HEADS = 2;

  @Override
  public OpFamily family() {
    return OpFamily.BLOCK;
  }

  @Override
  public String describe() {
    return String.format(
        "%s %dx%dx%dx%d %s",
        kind == Kind.RES ? "resblock+skip" : "attnblock",
        batch,
        channels,
        height,
        width,
        scripted ? "script" : "ops");
  }

  private Module block() {
    return kind == Kind.RES
        ? new ResBlock(channels, channels, 3)
        : new AttnBlock(channels, channels, HEADS, true);
  }

  /** Parameter values by key (fan-in scaled weights, small biases, GRN gamma/beta of 0.5). */
  private Map<String, float[]> weights(Module block, ProbeData d) {
    Map<String, float[]> w = new LinkedHashMap<>();
    block
        .namedParameters()
        .forEach(
            (key, p) -> {
              long[] s = p.shape();
              int n = (int) p.numel();
              double scale =
                  key.endsWith("gamma") || key.endsWith("beta")
                      ? 0.5
                      : s.length >= 2 ? 1 / Math.sqrt(n / (double) s[0]) : 0.1;
              w.put(key, d.normal(n, scale));
            });
    return w;
  }

  /** x (B,C,H,W) and the second input: skip (B,C,H,W) or the condition (B,tokens,C). */
  private float[][] inputs(ProbeData d) {
    int pixels = batch * channels * height * width;
    int second = kind == Kind.RES ? pixels : batch * COND_TOKENS * channels;
    return new float[][] {d.normal(pixels, 1), d.normal(second, 1)};
  }

  @Override
  public float[] compute(Kernels kernels, NDManager m) {
    ProbeData d = new ProbeData(seed);
    Module block = block();
    Map<String, float[]> w = weights(block, d);
    for (Map.Entry<String, Parameter> e : block.namedParameters().entrySet()) {
      e.getValue().set(m.create(w.get(e.getKey()), new Shape(e.getValue().shape())));
    }
    float[][] in = inputs(d);
    NDArray x = OpProbe.tensor(m, in[0], batch, channels, height, width);
    NDArray out;
    if (block instanceof ResBlock res) {
      NDArray skip = OpProbe.tensor(m, in[1], batch, channels, height, width);
      out = scripted ? res.forwardScripted(x, skip) : res.forwardOps(x, skip);
    } else {
      AttnBlock attn = (AttnBlock) block;
      NDArray cond = OpProbe.tensor(m, in[1], batch, COND_TOKENS, channels);
      out = scripted ? attn.forwardScripted(x, cond) : attn.forwardOps(x, cond);
    }
    return out.toFloatArray();
  }

  @Override
  public double[] reference() {
    ProbeData d = new ProbeData(seed);
    Map<String, float[]> w = weights(block(), d);
    float[][] in = inputs(d);
    return kind == Kind.RES ? resBlock(w, in[0], in[1]) : attnBlock(w, in[0], in[1]);
  }

  private double[] resBlock(Map<String, float[]> w, float[] x, float[] skip) {
    int c = channels;
    int hw = height * width;
    double[] dw =
        ReferenceOps.conv2d(
            x,
            batch,
            c,
            height,
            width,
            w.get("depthwise.weight"),
            c,
            3,
            w.get("depthwise.bias"),
            1,
            1,
            c);
    int in = 2 * c;
    int hidden = 4 * c;
    double[] out = new double[x.length];
    for (int b = 0; b < batch; b++) {
      // per pixel: LayerNorm over the channels, then the skip channels; rows = pixels
      double[][] rows = new double[hw][];
      for (int p = 0; p < hw; p++) {
        double[] v = new double[c];
        for (int ch = 0; ch < c; ch++) {
          v[ch] = dw[(b * c + ch) * hw + p];
        }
        double[] normed = layerNorm(v);
        double[] row = new double[in];
        System.arraycopy(normed, 0, row, 0, c);
        for (int ch = 0; ch < c; ch++) {
          row[c + ch] = skip[(b * c + ch) * hw + p];
        }
        rows[p] = gelu(linear(row, w.get("channelwise.0.weight"), w.get("channelwise.0.bias")));
      }
      double[] g = new double[hidden];
      double meanG = 0;
      for (int k = 0; k < hidden; k++) {
        double sq = 0;
        for (int p = 0; p < hw; p++) {
          sq += rows[p][k] * rows[p][k];
        }
        g[k] = Math.sqrt(sq);
        meanG += g[k] / hidden;
      }
      float[] gamma = w.get("channelwise.2.gamma");
      float[] beta = w.get("channelwise.2.beta");
      for (int p = 0; p < hw; p++) {
        double[] r = rows[p];
        for (int k = 0; k < hidden; k++) {
          r[k] = gamma[k] * (r[k] * (g[k] / (meanG + 1e-6))) + beta[k] + r[k];
        }
        double[] y = linear(r, w.get("channelwise.4.weight"), w.get("channelwise.4.bias"));
        for (int ch = 0; ch < c; ch++) {
          int i = (b * c + ch) * hw + p;
          out[i] = y[ch] + x[i];
        }
      }
    }
    return out;
  }

  private double[] attnBlock(Map<String, float[]> w, float[] x, float[] cond) {
    int c = channels;
    int hw = height * width;
    int keys = hw + COND_TOKENS;
    int d = c / HEADS;
    float[] inW = w.get("attention.attn.in_proj_weight");
    float[] inB = w.get("attention.attn.in_proj_bias");
    double[] out = new double[x.length];
    for (int b = 0; b < batch; b++) {
      double[][] tokens = new double[keys][];
      for (int p = 0; p < hw; p++) {
        double[] v = new double[c];
        for (int ch = 0; ch < c; ch++) {
          v[ch] = x[(b * c + ch) * hw + p];
        }
        tokens[p] = layerNorm(v);
      }
      for (int t = 0; t < COND_TOKENS; t++) {
        double[] v = new double[c];
        for (int ch = 0; ch < c; ch++) {
          double u = cond[(b * COND_TOKENS + t) * c + ch];
          v[ch] = u / (1 + Math.exp(-u));
        }
        tokens[hw + t] = linear(v, w.get("kv_mapper.1.weight"), w.get("kv_mapper.1.bias"));
      }
      double[][] q = new double[hw][];
      double[][] k = new double[keys][];
      double[][] v = new double[keys][];
      for (int j = 0; j < keys; j++) {
        if (j < hw) {
          q[j] = linearRows(tokens[j], inW, inB, 0, c);
        }
        k[j] = linearRows(tokens[j], inW, inB, c, c);
        v[j] = linearRows(tokens[j], inW, inB, 2 * c, c);
      }
      for (int p = 0; p < hw; p++) {
        double[] merged = new double[c];
        for (int h = 0; h < HEADS; h++) {
          double[] s = new double[keys];
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < keys; j++) {
            double acc = 0;
            for (int e = 0; e < d; e++) {
              acc += q[p][h * d + e] * k[j][h * d + e];
            }
            s[j] = acc / Math.sqrt(d);
            max = Math.max(max, s[j]);
          }
          double sum = 0;
          for (int j = 0; j < keys; j++) {
            s[j] = Math.exp(s[j] - max);
            sum += s[j];
          }
          for (int e = 0; e < d; e++) {
            double acc = 0;
            for (int j = 0; j < keys; j++) {
              acc += s[j] * v[j][h * d + e];
            }
            merged[h * d + e] = acc / sum;
          }
        }
        double[] y =
            linear(
                merged,
                w.get("attention.attn.out_proj.weight"),
                w.get("attention.attn.out_proj.bias"));
        for (int ch = 0; ch < c; ch++) {
          int i = (b * c + ch) * hw + p;
          out[i] = x[i] + y[ch];
        }
      }
    }
    return out;
  }

  /** LayerNorm without affine, eps 1e-6. */
  private static double[] layerNorm(double[] v) {
    double mean = 0;
    for (double u : v) {
      mean += u / v.length;
    }
    double var = 0;
    for (double u : v) {
      var += (u - mean) * (u - mean) / v.length;
    }
    double inv = 1 / Math.sqrt(var + 1e-6);
    double[] y = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      y[i] = (v[i] - mean) * inv;
    }
    return y;
  }

  private static double[] linear(double[] x, float[] w, float[] b) {
    return linearRows(x, w, b, 0, b.length);
  }

  /** Rows {@code start..start+count} of {@code w x + b}. */
  private static double[] linearRows(double[] x, float[] w, float[] b, int start, int count) {
    double[] y = new double[count];
    for (int o = 0; o < count; o++) {
      double acc = b[start + o];
      for (int i = 0; i < x.length; i++) {
        acc += x[i] * w[(start + o) * x.length + i];
      }
      y[o] = acc;
    }
    return y;
  }

  private static double[] gelu(double[] x) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = 0.5 * x[i] * (1 + ReferenceOps.erf(x[i] / Math.sqrt(2)));
    }
    return y;
  }
}
