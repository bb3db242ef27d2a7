package io.cascadefarm.cascade.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.nn.SafetensorsWeights;
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
