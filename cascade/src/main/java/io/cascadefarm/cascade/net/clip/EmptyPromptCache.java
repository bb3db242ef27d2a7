package io.cascadefarm.cascade.net.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** The empty-prompt conditioning of an encoder, computed on first use and kept as floats. */
final class EmptyPromptCache {
  private Snapshot snapshot;

  /** Host copy of a batch-1 conditioning. */
  record Snapshot(float[] tokens, long[] tokenShape, float[] pooled, long[] pooledShape) {
    TextConditioning repeat(int batch, NDManager out) {
      if (batch < 1) {
        throw new IllegalArgumentException("batch must be >= 1, got " + batch);
      }
      return new TextConditioning(
          tile(tokens, tokenShape, batch, out), tile(pooled, pooledShape, batch, out));
    }

    private static NDArray tile(float[] one, long[] shape, int batch, NDManager out) {
      float[] data = new float[one.length * batch];
      for (int b = 0; b < batch; b++) {
        System.arraycopy(one, 0, data, b * one.length, one.length);
      }
      long[] s = shape.clone();
      s[0] = batch;
      return out.create(data, new Shape(s));
    }
  }

  synchronized Snapshot get(ClipTextEncoder encoder) {
    if (snapshot == null) {
      try (NDManager tmp = NDManager.newBaseManager(encoder.device());
          TextConditioning c = encoder.encode("", tmp)) {
        snapshot =
            new Snapshot(
                c.tokens().toFloatArray(),
                c.tokens().getShape().getShape(),
                c.pooled().toFloatArray(),
                c.pooled().getShape().getShape());
      }
    }
    return snapshot;
  }
}
