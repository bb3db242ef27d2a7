package io.cascadefarm.cascade.net.stagea;

import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.model.RandomWeights;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.SafetensorsWeights;
import io.cascadefarm.cascade.nn.WeightBinder;
import io.cascadefarm.cascade.nn.WeightSource;
import java.nio.file.Path;

/** Binds deterministic random weights (written under target/tiny-weights) to a tiny network. */
public final class TinyWeights {
  private TinyWeights() {}

  public static <M extends Module> M bind(M module, String name, NDManager manager)
      throws Exception {
    Path file = Path.of("target", "tiny-weights", name + ".safetensors");
    RandomWeights.ensure(module, name, file);
    try (WeightSource src = SafetensorsWeights.open(file)) {
      WeightBinder.bind(module, src, manager);
    }
    return module;
  }
}
