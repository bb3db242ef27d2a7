package io.cascadefarm.cascade.net.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.io.TensorInfo;
import io.cascadefarm.cascade.testing.TestResources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Access to the parity fixture copies under {@code src/test/resources/parity/}. */
final class ParityFiles {
  private ParityFiles() {}

  static Path file(String name) {
    return TestResources.dir("parity").resolve(name);
  }

  static JsonNode json(String name) throws IOException {
    return new ObjectMapper().readTree(file(name).toFile());
  }

  /** Keys and shapes of a safetensors file, in file order. */
  static Map<String, long[]> shapes(String name) throws IOException {
    Map<String, long[]> out = new LinkedHashMap<>();
    try (SafetensorsReader r = SafetensorsReader.open(file(name))) {
      for (TensorInfo t : r.tensors().values()) {
        out.put(t.name(), t.shape());
      }
    }
    return out;
  }

  /** Keys and shapes of a key manifest ({@code name<TAB>[d0,d1]<TAB>numel}), in order. */
  static Map<String, long[]> manifest(String name) throws IOException {
    Map<String, long[]> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file("manifests/" + name), StandardCharsets.UTF_8)) {
      String[] f = line.split("\t");
      String dims = f[1].substring(1, f[1].length() - 1);
      long[] shape =
          dims.isEmpty()
              ? new long[0]
              : java.util.Arrays.stream(dims.split(",")).mapToLong(Long::parseLong).toArray();
      out.put(f[0], shape);
    }
    return out;
  }
}
