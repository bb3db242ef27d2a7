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

  @Override
  default void close() throws Exception {}
}
