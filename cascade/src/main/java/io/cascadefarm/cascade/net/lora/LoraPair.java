package io.cascadefarm.cascade.net.lora;

/**
 * One low-rank update {@code delta = (up @ down) * scale}.
 *
 * @param name key stem in the file (e.g. {@code weights.7} or {@code up_blocks.0.2.attention.to_q})
 * @param down {@code lora_down} / {@code lora_A}, row-major (rank, in)
 * @param up {@code lora_up} / {@code lora_B}, row-major (out, rank)
 * @param rank r
 * @param in columns of the target
 * @param out rows of the target (of its row block for split q/k/v layouts)
 * @param scale {@code alpha / rank} (official: alpha = 1)
 */
public record LoraPair(
    String name, float[] down, float[] up, int rank, int in, int out, float scale) {

  public LoraPair {
    if (down.length != (long) rank * in || up.length != (long) out * rank) {
      throw new IllegalArgumentException(name + ": lora_down/up sizes do not match rank " + rank);
    }
  }

  /** {@code out x in} delta times {@code scale * strength}, row-major, accumulated in float. */
  float[] delta(float strength) {
    float[] d = new float[out * in];
    for (int o = 0; o < out; o++) {
      for (int k = 0; k < rank; k++) {
        float u = up[o * rank + k];
        int base = k * in;
        int row = o * in;
        for (int i = 0; i < in; i++) {
          d[row + i] += u * down[base + i];
        }
      }
    }
    for (int i = 0; i < d.length; i++) {
      d[i] *= scale;
    }
    if (strength != 1f) {
      for (int i = 0; i < d.length; i++) {
        d[i] *= strength;
      }
    }
    return d;
  }
}
