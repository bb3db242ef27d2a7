package io.cascadefarm.cascade.model;

import io.cascadefarm.cascade.io.SafetensorsWriter;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Parameter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic random weights for a declared {@link Module}, written as a safetensors file so the
 * normal loading path reads them. Each tensor is seeded from its key, so a network's weights do not
 * depend on the JVM or on other networks. Rules (by key/shape): BatchNorm {@code running_var}
 * U(0.5,1.5), {@code running_mean} N(0,0.1); other 1-D {@code weight} (norm scales) 1+N(0,0.1);
 * other 1-D tensors N(0,0.05); tensors of rank >= 2 N(0, clamp(1/sqrt(fan_in), 0.02, 0.2)).
 */
public final class RandomWeights {
  private RandomWeights() {}

  /** Writes {@code file} for {@code module} unless it exists; returns the file. */
  public static Path ensure(Module module, String seedName, Path file) throws IOException {
    if (Files.isRegularFile(file)) {
      return file;
    }
    Files.createDirectories(file.getParent());
    SafetensorsWriter writer = new SafetensorsWriter();
    for (Map.Entry<String, Parameter> e : module.namedParameters().entrySet()) {
      long[] shape = e.getValue().shape();
      writer.addF32(e.getKey(), shape, values(seedName + ":" + e.getKey(), e.getKey(), shape));
    }
    writer.metadata("generator", "cascade-farm tiny preset (random weights)");
    Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    try {
      writer.write(tmp);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return file;
  }

  static float[] values(String seedKey, String key, long[] shape) {
    int n = Math.toIntExact(numel(shape));
    float[] out = new float[n];
    SplittableRandom random = new SplittableRandom(seed(seedKey));
    boolean oneDim = shape.length <= 1;
    for (int i = 0; i < n; i++) {
      double g = random.nextGaussian();
      if (key.endsWith("running_var")) {
        out[i] = (float) (0.5 + random.nextDouble());
      } else if (key.endsWith("running_mean")) {
        out[i] = (float) (0.1 * g);
      } else if (oneDim && key.endsWith("weight")) {
        out[i] = (float) (1 + 0.1 * g);
      } else if (oneDim) {
        out[i] = (float) (0.05 * g);
      } else {
        out[i] = (float) (g * std(shape));
      }
    }
    return out;
  }

  private static double std(long[] shape) {
    long fanIn = numel(shape) / shape[0];
    return Math.min(0.2, Math.max(0.02, 1 / Math.sqrt(fanIn)));
  }

  private static long numel(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  private static long seed(String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
