package io.cascadefarm.cascade.diffusion;

/** {@code torch.linspace} in float32, as gdf builds its time grid. */
public final class Timesteps {
  private Timesteps() {}

  /**
   * {@code count} float32 values from {@code start} to {@code end}. Like torch, the first half is
   * {@code start + step*i} and the second half {@code end - step*(count-1-i)}, so both ends are
   * exact.
   */
  public static float[] linspace(float start, float end, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, got " + count);
    }
    float[] out = new float[count];
    if (count == 1) {
      out[0] = start;
      return out;
    }
    float step = (end - start) / (count - 1);
    int half = count / 2;
    for (int i = 0; i < count; i++) {
      out[i] = i < half ? start + step * i : end - step * (count - 1 - i);
    }
    return out;
  }
}
