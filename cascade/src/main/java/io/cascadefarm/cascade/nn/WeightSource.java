package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * Where weights come from (a safetensors file, a formula, an overlay...). Keys and shapes are known
 * without loading data; {@link #load} materialises one tensor at a time as FLOAT32 (or INT64).
 */
public interface WeightSource extends AutoCloseable {

  /** Every available key with its shape, in source order. */
  Map<String, long[]> shapes();

  /** Loads one tensor into {@code manager}. */
  NDArray load(String key, NDManager manager);

  /**
   * Binds {@code target} to an existing value for {@code key} without loading (sharing an array or
   * a {@link ScriptKernels} slot with another module) and returns true, or returns false when the
   * key must be {@link #load}ed. Default: false.
   */
  default boolean bindShared(String key, Parameter target) {
    return false;
  }

  @Override
  default void close() throws Exception {}
}
