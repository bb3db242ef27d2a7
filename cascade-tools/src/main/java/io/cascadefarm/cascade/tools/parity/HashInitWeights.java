package io.cascadefarm.cascade.tools.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cascadefarm.cascade.io.TensorInfo;
import io.cascadefarm.cascade.nn.OverlayWeights;
import io.cascadefarm.cascade.nn.SafetensorsWeights;
import io.cascadefarm.cascade.nn.WeightSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link WeightSource} generating {@code <name>.hashinit.json} formula weights on demand (entries
 * without {@code scale} are int64 zeros). Each generated tensor is checked against its {@code
 * check_first3} values.
 */
public final class HashInitWeights implements WeightSource {
  private record Spec(long[] shape, Float scale, float offset, JsonNode first3) {}

  private final long seed;
  private final Map<String, Spec> specs = new LinkedHashMap<>();

  private HashInitWeights(JsonNode root, String source) {
    if (!root.has("seed") || !root.path("tensors").isArray()) {
      throw new FixtureFormatException(source + ": hashinit JSON needs 'seed' and 'tensors'");
    }
    this.seed = root.get("seed").asLong();
    for (JsonNode t : root.get("tensors")) {
      String name = t.path("name").asText(null);
      if (name == null || !t.path("shape").isArray()) {
        throw new FixtureFormatException(source + ": hashinit entry without name/shape: " + t);
      }
      long[] shape = new long[t.get("shape").size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = t.get("shape").get(i).asLong();
      }
      Float scale = t.has("scale") ? bits(t, "scale") : null;
      float offset = t.has("scale") ? bits(t, "offset") : 0f;
      specs.put(name, new Spec(shape, scale, offset, t.get("check_first3")));
    }
  }

  private static float bits(JsonNode t, String field) {
    JsonNode b = t.get(field + "_bits");
    if (b != null) {
      return Float.intBitsToFloat(Integer.parseUnsignedInt(b.asText().substring(2), 16));
    }
    return Float.parseFloat(t.path(field).asText("0"));
  }

  /** Reads a hashinit spec file. */
  public static HashInitWeights load(Path json) throws IOException {
    return new HashInitWeights(new ObjectMapper().readTree(json.toFile()), json.toString());
  }

  /** Formula weights with the stored BatchNorm statistics ({@code bnstats}, may be null) on top. */
  public static WeightSource withBnStats(Path hashinitJson, Path bnstats) throws IOException {
    HashInitWeights base = load(hashinitJson);
    return bnstats == null ? base : new OverlayWeights(base, SafetensorsWeights.open(bnstats));
  }

  public long seed() {
    return seed;
  }

  @Override
  public Map<String, long[]> shapes() {
    Map<String, long[]> out = new LinkedHashMap<>();
    specs.forEach((k, s) -> out.put(k, s.shape()));
    return out;
  }

  /** Generated values of one float tensor (checked against {@code check_first3}). */
  public float[] values(String name) {
    Spec s = spec(name);
    if (s.scale() == null) {
      throw new IllegalArgumentException("hashinit '" + name + "' is an integer buffer");
    }
    float[] v =
        HashInit.generate(seed, name, (int) TensorInfo.numel(s.shape()), s.scale(), s.offset());
    if (s.first3() != null) {
      for (int i = 0; i < Math.min(3, v.length); i++) {
        if (v[i] != Float.parseFloat(s.first3().get(i).asText())) {
          throw new IllegalStateException(
              "hashinit '"
                  + name
                  + "' element "
                  + i
                  + " = "
                  + v[i]
                  + ", spec says "
                  + s.first3().get(i));
        }
      }
    }
    return v;
  }

  private Spec spec(String name) {
    Spec s = specs.get(name);
    if (s == null) {
      throw new IllegalArgumentException("hashinit spec has no tensor '" + name + "'");
    }
    return s;
  }

  @Override
  public NDArray load(String key, NDManager manager) {
    Spec s = spec(key);
    Shape shape = new Shape(s.shape());
    if (s.scale() == null) {
      return manager.zeros(shape, ai.djl.ndarray.types.DataType.INT64);
    }
    return manager.create(values(key), shape);
  }
}
