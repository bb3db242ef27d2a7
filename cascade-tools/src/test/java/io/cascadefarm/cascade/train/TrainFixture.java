package io.cascadefarm.cascade.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.nn.WeightSource;
import io.cascadefarm.cascade.testing.TestResources;
import io.cascadefarm.cascade.tools.parity.HashInit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A fixture of tools/train-parity: its JSON and its io tensors. */
final class TrainFixture implements AutoCloseable {
  static final Path DIR = TestResources.dir("train-parity");

  final JsonNode json;
  final SafetensorsReader io;

  TrainFixture(String name) throws IOException {
    this.json = new ObjectMapper().readTree(DIR.resolve(name + ".json").toFile());
    this.io = SafetensorsReader.open(DIR.resolve(name + ".io.safetensors"));
  }

  float[] floats(String key) {
    return io.readFloats(key);
  }

  boolean has(String key) {
    return io.contains(key);
  }

  NDArray array(String key, NDManager m) {
    return m.create(io.readFloats(key), new Shape(io.info(key).shape()));
  }

  /** The formula weights of {@code hashinit.<name>} (tools/train-parity/hashinit.py). */
  WeightSource hashinit(String name) {
    JsonNode spec = json.get("hashinit").get(name);
    long seed = spec.get("seed").asLong();
    Map<String, long[]> shapes = new LinkedHashMap<>();
    Map<String, float[]> scaleOffset = new LinkedHashMap<>();
    for (JsonNode t : spec.get("tensors")) {
      long[] shape = new long[t.get("shape").size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = t.get("shape").get(i).asLong();
      }
      shapes.put(t.get("name").asText(), shape);
      scaleOffset.put(
          t.get("name").asText(),
          new float[] {
            Float.parseFloat(t.get("scale").asText()), Float.parseFloat(t.get("offset").asText())
          });
    }
    return new WeightSource() {
      @Override
      public Map<String, long[]> shapes() {
        return shapes;
      }

      @Override
      public NDArray load(String key, NDManager manager) {
        long[] shape = shapes.get(key);
        float[] so = scaleOffset.get(key);
        int n = Math.toIntExact(new Shape(shape).size());
        return manager.create(HashInit.generate(seed, key, n, so[0], so[1]), new Shape(shape));
      }
    };
  }

  @Override
  public void close() throws Exception {
    io.close();
  }

  /** max|a-b| / max|b|. */
  static double relErr(float[] a, float[] b) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < b.length; i++) {
      num = Math.max(num, Math.abs(a[i] - b[i]));
      den = Math.max(den, Math.abs(b[i]));
    }
    return den == 0 ? num : num / den;
  }

  /** ||a-b|| / ||b|| (L2). */
  static double l2Err(float[] a, float[] b) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < b.length; i++) {
      double d = a[i] - b[i];
      num += d * d;
      den += (double) b[i] * b[i];
    }
    return den == 0 ? Math.sqrt(num) : Math.sqrt(num / den);
  }

  static float[] minus(float[] a, float[] b) {
    float[] out = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] - b[i];
    }
    return out;
  }
}
