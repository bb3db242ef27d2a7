package io.cascadefarm.cascade.pipeline;

import java.util.Arrays;

/**
 * A float32 tensor held on the host (row-major), e.g. caller-supplied initial latents or
 * precomputed embeddings read from a safetensors upload.
 */
public record HostTensor(float[] data, long[] shape) {
  public HostTensor {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      }
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
    }
    shape = shape.clone();
  }

  /** The shape as text, e.g. {@code [2, 16, 24, 24]}. */
  public String shapeText() {
    return Arrays.toString(shape);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostTensor t
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "HostTensor" + shapeText();
  }
}
