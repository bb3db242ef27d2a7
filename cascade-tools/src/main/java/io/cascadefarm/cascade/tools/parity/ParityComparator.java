package io.cascadefarm.cascade.tools.parity;

import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.io.TensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;

/** Compares a port's output file with a fixture's io (or trace) tensors. */
public final class ParityComparator {
  private static final Pattern SAMPLER_INPUT =
      Pattern.compile("(cond|uncond)\\..*|x_init|step\\d+\\.noise");

  private ParityComparator() {}

  /** Keys a run must produce: call outputs, or every non-input io key of a sampler fixture. */
  public static List<String> expectedOutputs(Fixture fixture) {
    List<String> keys = new ArrayList<>();
    if (fixture.isSampler()) {
      Iterator<String> it = fixture.ioTensors().fieldNames();
      it.forEachRemaining(
          k -> {
            if (!SAMPLER_INPUT.matcher(k).matches()) {
              keys.add(k);
            }
          });
    } else {
      fixture.calls().forEach(c -> c.outputs().stream().filter(k -> k != null).forEach(keys::add));
    }
    return keys;
  }

  /** Compares {@code portFile} with the fixture's io file using the fixture tolerance. */
  public static ParityReport compare(Fixture fixture, Path portFile) throws IOException {
    try (SafetensorsReader ref = SafetensorsReader.open(fixture.file("io"));
        SafetensorsReader port = SafetensorsReader.open(portFile)) {
      double tol = Tolerances.forFixture(fixture);
      List<OutputError> errors = new ArrayList<>();
      for (String key : expectedOutputs(fixture)) {
        errors.add(compareKey(key, ref, port, tol));
      }
      return new ParityReport(fixture.name(), errors);
    }
  }

  /** Compares one key present in {@code ref} against {@code port}. */
  public static OutputError compareKey(
      String key, SafetensorsReader ref, SafetensorsReader port, double tol) {
    if (!port.contains(key)) {
      return new OutputError(key, Double.NaN, tol, "missing from port output");
    }
    TensorInfo r = ref.info(key);
    TensorInfo p = port.info(key);
    if (!Arrays.equals(r.shape(), p.shape())) {
      return new OutputError(
          key, Double.NaN, tol, "shape " + p.shapeText() + " != reference " + r.shapeText());
    }
    if (!r.dtype().isFloating()) {
      if (p.dtype().isFloating()) {
        return new OutputError(key, Double.NaN, 0, "reference is integer, port wrote " + p.dtype());
      }
      long[] a = ref.readLongs(key);
      long[] b = port.readLongs(key);
      long diff = 0;
      for (int i = 0; i < a.length; i++) {
        diff += a[i] != b[i] ? 1 : 0;
      }
      return new OutputError(key, a.length == 0 ? 0 : (double) diff / a.length, 0, "");
    }
    return new OutputError(key, relError(ref.readFloats(key), port.readFloats(key)), tol, "");
  }

  /** max|port-ref| / max|ref| (absolute error when the reference is all zeros; NaN-safe). */
  public static double relError(float[] ref, float[] port) {
    double maxDiff = 0;
    double maxRef = 0;
    for (int i = 0; i < ref.length; i++) {
      double d = Math.abs((double) port[i] - ref[i]);
      if (Double.isNaN(d)) {
        return Double.NaN;
      }
      maxDiff = Math.max(maxDiff, d);
      maxRef = Math.max(maxRef, Math.abs(ref[i]));
    }
    return maxRef == 0 ? maxDiff : maxDiff / maxRef;
  }
}
