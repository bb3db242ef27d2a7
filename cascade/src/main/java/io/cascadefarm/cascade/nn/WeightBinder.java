package io.cascadefarm.cascade.nn;

import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.io.TensorInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Strictly binds a {@link WeightSource} to a {@link Module}: every checkpoint key must map to
 * exactly one declared parameter of the same shape and vice versa ({@code num_batches_tracked}
 * entries are ignored). All keys are checked before any tensor is loaded; a mismatch throws one
 * {@link WeightMismatchException} listing missing, unexpected and mis-shaped keys.
 */
public final class WeightBinder {
  private WeightBinder() {}

  /** True for checkpoint keys that are deliberately not modelled. */
  public static boolean isIgnored(String key) {
    return key.endsWith("num_batches_tracked");
  }

  /** Checks keys and shapes without loading anything. */
  public static void check(Module module, WeightSource source) {
    Map<String, Parameter> declared = module.namedParameters();
    Map<String, long[]> available = source.shapes();
    List<String> missing = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    List<String> misShaped = new ArrayList<>();
    declared.forEach(
        (key, p) -> {
          long[] shape = available.get(key);
          if (shape == null) {
            missing.add(key);
          } else if (!Arrays.equals(shape, p.shape())) {
            misShaped.add(
                key
                    + ": checkpoint "
                    + TensorInfo.shapeText(shape)
                    + " vs declared "
                    + TensorInfo.shapeText(p.shape()));
          }
        });
    available.keySet().stream()
        .filter(k -> !declared.containsKey(k) && !isIgnored(k))
        .forEach(unexpected::add);
    if (!missing.isEmpty() || !unexpected.isEmpty() || !misShaped.isEmpty()) {
      throw new WeightMismatchException(
          module.getClass().getSimpleName(), missing, unexpected, misShaped);
    }
  }

  /**
   * Checks, then loads every tensor into {@code manager} (which then owns the weights: closing it
   * frees them) and sets it on its parameter.
   */
  public static void bind(Module module, WeightSource source, NDManager manager) {
    check(module, source);
    module
        .namedParameters()
        .forEach(
            (key, p) -> {
              if (!source.bindShared(key, p)) {
                p.set(source.load(key, manager));
              }
            });
  }
}
