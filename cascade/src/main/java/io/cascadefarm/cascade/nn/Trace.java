package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Optional activation trace for parity debugging. Networks call {@link #record(String, NDArray)}
 * with the official module path after each traced submodule; when a recording is active on the
 * current thread the value is copied (as float32) under {@code trace.<path>#<k>} (k = invocation
 * count), matching the fixtures' {@code *.trace.safetensors} keys. Otherwise it is a no-op.
 */
public final class Trace implements AutoCloseable {
  private static final ThreadLocal<Trace> ACTIVE = new ThreadLocal<>();

  /** A recorded tensor. */
  public record Tensor(long[] shape, float[] data) {}

  private final Map<String, Tensor> tensors = new LinkedHashMap<>();
  private final Map<String, Integer> counts = new LinkedHashMap<>();

  private Trace() {}

  /** Starts recording on this thread; close the returned trace to stop. */
  public static Trace start() {
    Trace t = new Trace();
    ACTIVE.set(t);
    return t;
  }

  public static boolean active() {
    return ACTIVE.get() != null;
  }

  /** Records {@code value} as {@code trace.<path>#<k>} if a trace is active. */
  public static void record(String path, NDArray value) {
    Trace t = ACTIVE.get();
    if (t == null) {
      return;
    }
    int k = t.counts.merge(path, 1, Integer::sum) - 1;
    t.tensors.put(
        "trace." + path + "#" + k,
        new Tensor(
            value.getShape().getShape(),
            value.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray()));
  }

  /** Records under an exact key (e.g. {@code trace.r_embed}); the first recording wins. */
  public static void recordKey(String key, NDArray value) {
    Trace t = ACTIVE.get();
    if (t != null && !t.tensors.containsKey(key)) {
      t.tensors.put(key, new Tensor(value.getShape().getShape(), value.toFloatArray()));
    }
  }

  public Map<String, Tensor> tensors() {
    return tensors;
  }

  @Override
  public void close() {
    ACTIVE.remove();
  }
}
