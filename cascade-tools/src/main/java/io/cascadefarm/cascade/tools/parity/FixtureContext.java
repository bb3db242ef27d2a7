package io.cascadefarm.cascade.tools.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.nn.LowPrecision;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.SafetensorsWeights;
import io.cascadefarm.cascade.nn.ScriptKernels;
import io.cascadefarm.cascade.nn.WeightBinder;
import io.cascadefarm.cascade.nn.WeightSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What an adapter gets to run a fixture: the fixture, the root manager (closed by the harness), the
 * io tensors, and weight resolution: {@code --weights} override, else {@code base_weights} (LoRA),
 * else {@code files.weights}, else {@code hashinit} + {@code bnstats}.
 */
public final class FixtureContext implements AutoCloseable {
  private final Fixture fixture;
  private final NDManager manager;
  private final Path weightsOverride;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private SafetensorsReader io;
  private io.cascadefarm.cascade.nn.Trace trace;
  private boolean traceRequested;

  /**
   * Asks call-based adapters to record a {@link io.cascadefarm.cascade.nn.Trace} of the first call.
   */
  public void requestTrace() {
    traceRequested = true;
  }

  public boolean traceRequested() {
    return traceRequested;
  }

  /** The recorded trace (null unless requested and recorded). */
  public io.cascadefarm.cascade.nn.Trace trace() {
    return trace;
  }

  void trace(io.cascadefarm.cascade.nn.Trace t) {
    this.trace = t;
  }

  /**
   * System property {@value}: {@code fp16} or {@code bf16} run the network fixtures whose adapters
   * bind through {@link #bind} in that precision (inputs and outputs stay float32), to measure the
   * error against the float32 reference; absent or {@code fp32}: float32.
   */
  public static final String PRECISION_PROPERTY = "farm.parity.precision";

  private ScriptKernels kernels;

  /**
   * Binds {@link #weights()} to {@code net} in {@link #manager()}, then puts it into the precision
   * of {@link #PRECISION_PROPERTY}: fp16 converts every weight of a network that casts its inputs
   * ({@code castsInputs}: Stage C and B) and otherwise holds the linear/conv/attention weights in
   * fp16; bf16 holds them in bf16 in the project's TorchScript kernels ({@link
   * io.cascadefarm.cascade.nn.LowPrecision}).
   */
  public void bind(Module net, boolean castsInputs) {
    WeightBinder.bind(net, weights(), manager);
    String p = Tolerances.runPrecision();
    switch (p) {
      case "fp16" -> {
        if (castsInputs) {
          net.convertParameters(DataType.FLOAT16);
        } else {
          LowPrecision.apply(net, kernels(), ScriptKernels.FLOAT16);
        }
      }
      case "bf16" -> LowPrecision.apply(net, kernels(), ScriptKernels.BFLOAT16);
      case "fp32" -> {}
      default ->
          throw new IllegalArgumentException(PRECISION_PROPERTY + " must be fp32, fp16 or bf16");
    }
  }

  private ScriptKernels kernels() {
    if (kernels == null) {
      kernels = ScriptKernels.load(manager);
    }
    return kernels;
  }

  public FixtureContext(Fixture fixture, NDManager manager, Path weightsOverride) {
    this.fixture = fixture;
    this.manager = manager;
    this.weightsOverride = weightsOverride;
  }

  public Fixture fixture() {
    return fixture;
  }

  /** Root manager for this fixture run; weights and outputs may live here. */
  public NDManager manager() {
    return manager;
  }

  /** The weights the network should be bound to (closed with this context). */
  public WeightSource weights() {
    try {
      WeightSource source;
      if (weightsOverride != null) {
        source = SafetensorsWeights.open(weightsOverride);
      } else if (fixture.json().hasNonNull("base_weights")) {
        source =
            SafetensorsWeights.open(
                fixture.dir().resolve(fixture.json().get("base_weights").asText()));
      } else if (fixture.file("weights") != null) {
        source = SafetensorsWeights.open(fixture.file("weights"));
      } else if (fixture.file("hashinit") != null) {
        source = HashInitWeights.withBnStats(fixture.file("hashinit"), fixture.file("bnstats"));
      } else {
        throw new FixtureFormatException(
            fixture.name() + ": no weights, base_weights or hashinit file");
      }
      resources.add(source);
      return source;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Opens a safetensors file of the fixture directory by role ({@code files}) or file name. */
  public SafetensorsReader open(String roleOrFile) {
    Path p = fixture.file(roleOrFile);
    if (p == null) {
      p = fixture.dir().resolve(roleOrFile);
    }
    if (!Files.isRegularFile(p)) {
      throw new FixtureFormatException(fixture.name() + ": file not found: " + p);
    }
    try {
      SafetensorsReader r = SafetensorsReader.open(p);
      resources.add(r);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The io file reader. */
  public SafetensorsReader io() {
    if (io == null) {
      io = open("io");
    }
    return io;
  }

  /** Loads an io tensor into {@code target}. */
  public NDArray io(String key, NDManager target) {
    if (!io().contains(key)) {
      throw new FixtureFormatException(fixture.name() + ": io file has no tensor '" + key + "'");
    }
    return io().load(target, key);
  }

  /**
   * A context for another fixture of the same directory (e.g. a sampler's stage_c), no override.
   */
  public FixtureContext sibling(String name) {
    try {
      FixtureContext c = new FixtureContext(Fixture.load(fixture.dir(), name), manager, null);
      resources.add(c);
      return c;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws Exception {
    Exception first = null;
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        first = first == null ? e : first;
      }
    }
    resources.clear();
    if (first != null) {
      throw first;
    }
  }
}
