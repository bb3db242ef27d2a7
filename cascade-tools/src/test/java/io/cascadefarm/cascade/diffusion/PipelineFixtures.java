package io.cascadefarm.cascade.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.net.previewer.Previewer;
import io.cascadefarm.cascade.net.previewer.PreviewerConfig;
import io.cascadefarm.cascade.net.stagea.StageA;
import io.cascadefarm.cascade.net.stagea.StageAConfig;
import io.cascadefarm.cascade.nn.WeightBinder;
import io.cascadefarm.cascade.testing.TestResources;
import io.cascadefarm.cascade.tools.parity.FixtureContext;
import io.cascadefarm.cascade.tools.parity.Fixtures;
import io.cascadefarm.cascade.tools.parity.adapters.SamplerFixtureModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The issue-18 fixtures in {@code cascade/src/test/resources/pipeline-fixtures} (made by {@code
 * tools/pipeline-gen/gen.py} with the official gdf code on the dev set's tiny models), and those
 * models built from the dev set ({@link Fixtures#dir()}) with the official weights.
 */
final class PipelineFixtures implements AutoCloseable {
  static final Path DIR = TestResources.dir("pipeline-fixtures");

  private final List<AutoCloseable> open = new ArrayList<>();
  private final NDManager manager;

  PipelineFixtures(NDManager manager) {
    this.manager = manager;
  }

  static JsonNode json(String name) {
    try {
      return new ObjectMapper().readTree(DIR.resolve(name + ".json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  SafetensorsReader io(String file) {
    try {
      SafetensorsReader r = SafetensorsReader.open(DIR.resolve(file));
      open.add(r);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private FixtureContext dev(String name) {
    try {
      FixtureContext c = new FixtureContext(Fixtures.load(name), manager, null);
      open.add(c);
      return c;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code stage_c} or {@code stage_b} of the dev set as a diffusion model. */
  DiffusionModel model(String role) {
    return SamplerFixtureModels.diffusionModel(role, dev(role));
  }

  NDArray decodeA(NDArray x0) {
    FixtureContext c = dev("stage_a");
    StageA a = new StageA(StageAConfig.fromJson(c.fixture().config()));
    WeightBinder.bind(a, c.weights(), manager);
    return a.decode(x0);
  }

  NDArray preview(NDArray x0) {
    FixtureContext c = dev("previewer");
    Previewer p = new Previewer(PreviewerConfig.fromJson(c.fixture().config()));
    WeightBinder.bind(p, c.weights(), manager);
    return p.forward(x0);
  }

  /** The {@code <prefix>cond.*} / {@code <prefix>uncond.*} inputs of an io file, in file order. */
  static Map<String, NDArray>[] conditions(SafetensorsReader io, String prefix, NDManager m) {
    Map<String, NDArray> cond = new LinkedHashMap<>();
    Map<String, NDArray> uncond = new LinkedHashMap<>();
    for (String k : io.tensors().keySet()) {
      if (k.startsWith(prefix + "cond.")) {
        String name = k.substring((prefix + "cond.").length());
        cond.put(name, io.load(m, k));
        uncond.put(name, io.load(m, prefix + "uncond." + name));
      }
    }
    @SuppressWarnings("unchecked")
    Map<String, NDArray>[] both = new Map[] {cond, uncond};
    return both;
  }

  /** The recorded noise of every step, {@code <prefix>step<k>.noise}. */
  static List<NDArray> stepNoise(SafetensorsReader io, String prefix, int steps, NDManager m) {
    List<NDArray> out = new ArrayList<>();
    for (int k = 0; k < steps; k++) {
      out.add(io.load(m, prefix + "step" + k + ".noise"));
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }
}
