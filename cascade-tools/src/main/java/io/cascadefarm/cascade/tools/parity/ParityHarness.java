package io.cascadefarm.cascade.tools.parity;

import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.io.SafetensorsWriter;
import io.cascadefarm.cascade.nn.Trace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs a fixture with the adapter found through {@link java.util.ServiceLoader}, writes all outputs
 * to a safetensors file, and optionally compares them with the reference ({@code farm net run}).
 */
public final class ParityHarness {
  private ParityHarness() {}

  /** All registered adapters. */
  public static List<FixtureAdapter> adapters() {
    return io.cascadefarm.cascade.nn.Services.load(FixtureAdapter.class);
  }

  /** The highest-priority adapter accepting the fixture, or a clear error. */
  public static FixtureAdapter adapterFor(Fixture fixture) {
    return adapters().stream()
        .filter(a -> a.accepts(fixture))
        .max(Comparator.comparingInt(FixtureAdapter::priority))
        .orElseThrow(
            () ->
                new FixtureFormatException(
                    "no network implementation registered for fixture '"
                        + fixture.name()
                        + "' (model_class "
                        + fixture.modelClass()
                        + ", models "
                        + fixture.models().keySet()
                        + "); registered adapters: "
                        + adapters().stream()
                            .map(a -> a.getClass().getSimpleName())
                            .collect(Collectors.toList())));
  }

  /** Runs the fixture; {@code weightsOverride} may be null. Returns the collected outputs. */
  public static FixtureOutputs run(Fixture fixture, Path weightsOverride) throws Exception {
    FixtureAdapter adapter = adapterFor(fixture);
    FixtureOutputs outputs = new FixtureOutputs();
    try (NDManager manager = NDManager.newBaseManager();
        FixtureContext context = new FixtureContext(fixture, manager, weightsOverride)) {
      adapter.run(context, outputs);
    }
    return outputs;
  }

  /**
   * Runs the fixture, writes outputs to {@code outFile} and the trace of the first call ({@code
   * trace.<module>#k} keys, when the adapter records one) to {@code traceFile}; returns the trace
   * comparison against the fixture's trace file (empty when either side has no trace).
   */
  public static ParityReport runTraced(
      Fixture fixture, Path weightsOverride, Path outFile, Path traceFile) throws Exception {
    FixtureAdapter adapter = adapterFor(fixture);
    FixtureOutputs outputs = new FixtureOutputs();
    Trace trace;
    try (NDManager manager = NDManager.newBaseManager();
        FixtureContext context = new FixtureContext(fixture, manager, weightsOverride)) {
      context.requestTrace();
      adapter.run(context, outputs);
      trace = context.trace();
    }
    outputs.write(outFile);
    List<OutputError> errors = new ArrayList<>();
    if (trace != null) {
      SafetensorsWriter w = new SafetensorsWriter();
      trace.tensors().forEach((k, t) -> w.addF32(k, t.shape(), t.data()));
      w.write(traceFile);
      Path ref = fixture.file("trace");
      if (ref != null && Files.isRegularFile(ref)) {
        try (SafetensorsReader r = SafetensorsReader.open(ref);
            SafetensorsReader p = SafetensorsReader.open(traceFile)) {
          for (String key : r.tensors().keySet()) {
            if (p.contains(key)) {
              errors.add(ParityComparator.compareKey(key, r, p, Tolerances.forTrace(fixture)));
            }
          }
        }
      }
    }
    return new ParityReport(fixture.name() + " (trace)", errors);
  }

  /** Runs the fixture and writes its outputs to {@code outFile}. */
  public static void run(Fixture fixture, Path weightsOverride, Path outFile) throws Exception {
    run(fixture, weightsOverride).write(outFile);
  }

  /** Runs, writes and compares; the report lists every expected output. */
  public static ParityReport runAndCompare(Fixture fixture, Path weightsOverride, Path outFile)
      throws Exception {
    run(fixture, weightsOverride, outFile);
    return compare(fixture, outFile);
  }

  /** Compares an existing output file with the fixture reference. */
  public static ParityReport compare(Fixture fixture, Path outFile) throws IOException {
    return ParityComparator.compare(fixture, outFile);
  }
}
