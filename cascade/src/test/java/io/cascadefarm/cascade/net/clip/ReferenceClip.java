package io.cascadefarm.cascade.net.clip;

import java.util.function.Function;

/**
 * An independent plain-Java (double precision) forward of the CLIP towers, written from the
 * transformers semantics, to check the DJL implementation on tiny random weights.
 */
final class ReferenceClip {
  private final Function<String, float[]> w;

  ReferenceClip(Function<String, float[]> weights) {
    this.w = weights;
  }

  /** Text tower: returns {last hidden (L x D) before the final LN, projected pooled (1 x P)}. */
  double[][][] text(ClipTextConfig c, int[] ids, int[] mask, int pooledPos) {
    int l = ids.length;
    int d = c.width();
    float[] tok = w.apply("text_model.embeddings.token_embedding.weight");
    float[] pos = w.apply("text_model.embeddings.position_embedding.weight");
    double[][] x = new double[l][d];
    for (int i = 0; i < l; i++) {
      for (int k = 0; k < d; k++) {
        x[i][k] = tok[ids[i] * d + k] + pos[i * d + k];
      }
    }
    boolean[][] allowed = new boolean[l][l];
    for (int i = 0; i < l; i++) {
      for (int j = 0; j <= i; j++) {
        allowed[i][j] = mask[j] != 0;
      }
    }
    for (int n = 0; n < c.layers(); n++) {
      x = layer(x, "text_model.encoder.layers." + n, c.heads(), c.activation(), allowed);
    }
    double[][] fin = layerNorm(x, "text_model.final_layer_norm");
    double[][] pooled =
        linear(new double[][] {fin[pooledPos]}, "text_projection", c.projectionDim(), false);
    return new double[][][] {x, pooled};
  }

  /** Vision tower on one preprocessed image (3 x S x S): {@code image_embeds} (P). */
  double[] vision(ClipVisionConfig c, double[][][] img) {
    int d = c.width();
    int p = c.patchSize();
    int side = c.imageSize() / p;
    int n = side * side + 1;
    float[] conv = w.apply("vision_model.embeddings.patch_embedding.weight");
    float[] cls = w.apply("vision_model.embeddings.class_embedding");
    float[] pos = w.apply("vision_model.embeddings.position_embedding.weight");
    double[][] x = new double[n][d];
    for (int o = 0; o < d; o++) {
      x[0][o] = cls[o] + pos[o];
      for (int py = 0; py < side; py++) {
        for (int px = 0; px < side; px++) {
          double s = 0;
          for (int ch = 0; ch < 3; ch++) {
            for (int ky = 0; ky < p; ky++) {
              for (int kx = 0; kx < p; kx++) {
                s += conv[((o * 3 + ch) * p + ky) * p + kx] * img[ch][py * p + ky][px * p + kx];
              }
            }
          }
          int t = 1 + py * side + px;
          x[t][o] = s + pos[t * d + o];
        }
      }
    }
    x = layerNorm(x, "vision_model.pre_layrnorm");
    boolean[][] all = new boolean[n][n];
    for (boolean[] row : all) {
      java.util.Arrays.fill(row, true);
    }
    for (int k = 0; k < c.layers(); k++) {
      x = layer(x, "vision_model.encoder.layers." + k, c.heads(), c.activation(), all);
    }
    double[][] pooled = layerNorm(new double[][] {x[0]}, "vision_model.post_layernorm");
    return linear(pooled, "visual_projection", c.projectionDim(), false)[0];
  }

  private double[][] layer(
      double[][] x, String prefix, int heads, ClipActivation act, boolean[][] allowed) {
    double[][] a =
        attention(layerNorm(x, prefix + ".layer_norm1"), prefix + ".self_attn", heads, allowed);
    double[][] h = add(x, a);
    double[][] m =
        linear(
            layerNorm(h, prefix + ".layer_norm2"),
            prefix + ".mlp.fc1",
            w.apply(prefix + ".mlp.fc1.bias").length,
            true);
    for (double[] row : m) {
      for (int i = 0; i < row.length; i++) {
        row[i] =
            act == ClipActivation.GELU
                ? 0.5 * row[i] * (1 + erf(row[i] / Math.sqrt(2)))
                : row[i] / (1 + Math.exp(-1.702 * row[i]));
      }
    }
    return add(h, linear(m, prefix + ".mlp.fc2", x[0].length, true));
  }

  private double[][] attention(double[][] x, String prefix, int heads, boolean[][] allowed) {
    int l = x.length;
    int d = x[0].length;
    int hd = d / heads;
    double[][] q = linear(x, prefix + ".q_proj", d, true);
    double[][] k = linear(x, prefix + ".k_proj", d, true);
    double[][] v = linear(x, prefix + ".v_proj", d, true);
    double[][] out = new double[l][d];
    for (int h = 0; h < heads; h++) {
      for (int i = 0; i < l; i++) {
        double[] s = new double[l];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < l; j++) {
          if (!allowed[i][j]) {
            continue;
          }
          double dot = 0;
          for (int t = 0; t < hd; t++) {
            dot += q[i][h * hd + t] * k[j][h * hd + t];
          }
          s[j] = dot / Math.sqrt(hd);
          max = Math.max(max, s[j]);
        }
        double sum = 0;
        for (int j = 0; j < l; j++) {
          s[j] = allowed[i][j] ? Math.exp(s[j] - max) : 0;
          sum += s[j];
        }
        for (int j = 0; j < l; j++) {
          for (int t = 0; t < hd; t++) {
            out[i][h * hd + t] += s[j] / sum * v[j][h * hd + t];
          }
        }
      }
    }
    return linear(out, prefix + ".out_proj", d, true);
  }

  private double[][] layerNorm(double[][] x, String prefix) {
    float[] g = w.apply(prefix + ".weight");
    float[] b = w.apply(prefix + ".bias");
    double[][] out = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      double mean = 0;
      for (double v : x[i]) {
        mean += v;
      }
      mean /= x[i].length;
      double var = 0;
      for (double v : x[i]) {
        var += (v - mean) * (v - mean);
      }
      var /= x[i].length;
      out[i] = new double[x[i].length];
      for (int k = 0; k < x[i].length; k++) {
        out[i][k] = (x[i][k] - mean) / Math.sqrt(var + 1e-5) * g[k] + b[k];
      }
    }
    return out;
  }

  private double[][] linear(double[][] x, String prefix, int outDim, boolean bias) {
    float[] wt = w.apply(prefix + ".weight");
    float[] b = bias ? w.apply(prefix + ".bias") : null;
    int in = x[0].length;
    double[][] out = new double[x.length][outDim];
    for (int i = 0; i < x.length; i++) {
      for (int o = 0; o < outDim; o++) {
        double s = b == null ? 0 : b[o];
        for (int k = 0; k < in; k++) {
          s += wt[o * in + k] * x[i][k];
        }
        out[i][o] = s;
      }
    }
    return out;
  }

  private static double[][] add(double[][] a, double[][] b) {
    double[][] out = new double[a.length][a[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int k = 0; k < a[0].length; k++) {
        out[i][k] = a[i][k] + b[i][k];
      }
    }
    return out;
  }

  /** erf with fractional error below 1.2e-7 (Chebyshev fit of erfc). */
  static double erf(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double erfc =
        t
            * Math.exp(
                -z * z
                    - 1.26551223
                    + t
                        * (1.00002368
                            + t
                                * (0.37409196
                                    + t
                                        * (0.09678418
                                            + t
                                                * (-0.18628806
                                                    + t
                                                        * (0.27886807
                                                            + t
                                                                * (-1.13520398
                                                                    + t
                                                                        * (1.48851587
                                                                            + t
                                                                                * (-0.82215223
                                                                                    + t
                                                                                        * 0.17087277)))))))));
    return x >= 0 ? 1 - erfc : erfc - 1;
  }
}
