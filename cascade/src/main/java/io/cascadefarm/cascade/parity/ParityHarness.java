package io.cascadefarm.cascade.parity;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
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
