package io.cascadefarm.cascade.tools.numerics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * One native op on one shape with seeded inputs, and the same op in {@link ReferenceOps}. {@link
 * #run} compares the two: max|native - reference| / max|reference|.
 */
public interface OpProbe {
  OpFamily family();

  /** The shape and settings, e.g. {@code 2x24x5x7->24 k3 s1 p1 g1}. */
  String describe();

  /** The native result, flattened row-major. Arrays are created in {@code m}. */
  float[] compute(Kernels kernels, NDManager m);

  /** The float64 reference on the same inputs. */
  double[] reference();

  /** Runs both and compares; a thrown exception or non-finite output is a failure. */
  default ProbeResult run(Kernels kernels, NDManager manager, double tolerance) {
    float[] got;
    try (NDManager m = manager.newSubManager()) {
      got = compute(kernels, m);
    } catch (RuntimeException e) {
      return new ProbeResult(family(), describe(), Double.NaN, tolerance, "threw " + e);
    }
    double[] ref = reference();
    if (got.length != ref.length) {
      return new ProbeResult(
          family(),
          describe(),
          Double.NaN,
          tolerance,
          "returned " + got.length + " values, expected " + ref.length);
    }
    double maxDiff = 0;
    double maxRef = 0;
    for (int i = 0; i < got.length; i++) {
      if (!Float.isFinite(got[i])) {
        return new ProbeResult(
            family(), describe(), Double.NaN, tolerance, "non-finite output at index " + i);
      }
      maxDiff = Math.max(maxDiff, Math.abs(got[i] - ref[i]));
      maxRef = Math.max(maxRef, Math.abs(ref[i]));
    }
    return new ProbeResult(
        family(), describe(), maxDiff / Math.max(maxRef, 1e-30), tolerance, null);
  }

  /** {@code m.create(values, shape)}. */
  static NDArray tensor(NDManager m, float[] values, long... shape) {
    return m.create(values, new Shape(shape));
  }
}
