package io.cascadefarm.cascade.tools.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.nn.WeightSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HashInitTest {

  @ParameterizedTest
  @ValueSource(strings = {"effnet_full", "controlnet_sr_full", "controlnet_canny_full"})
  void everyTensorMatchesFirst3AndFloat64Sum(String fixture) throws Exception {
    JsonNode spec = new ObjectMapper().readTree(Fixtures.file(fixture + ".hashinit.json").toFile());
    HashInitWeights weights = HashInitWeights.load(Fixtures.file(fixture + ".hashinit.json"));
    int checked = 0;
    for (JsonNode t : spec.get("tensors")) {
      if (!t.has("scale")) {
        continue;
      }
      float[] v = weights.values(t.get("name").asText());
      for (int i = 0; i < 3 && i < v.length; i++) {
        assertEquals(
            Float.parseFloat(t.get("check_first3").get(i).asText()), v[i], t.get("name").asText());
      }
      double sum = 0;
      for (float f : v) {
        sum += f;
      }
      double expected = t.get("check_sum_f64").asDouble();
      assertEquals(expected, sum, Math.abs(expected) * 1e-12 + 1e-9, t.get("name").asText());
      checked++;
    }
    assertTrue(checked > 10);
  }

  @ParameterizedTest
  @ValueSource(strings = {"effnet_full", "controlnet_canny_full"})
  void bnStatsOverrideFormulaValues(String fixture) throws Exception {
    try (WeightSource src =
            HashInitWeights.withBnStats(
                Fixtures.file(fixture + ".hashinit.json"),
                Fixtures.file(fixture + ".bnstats.safetensors"));
        SafetensorsReader bn =
            SafetensorsReader.open(Fixtures.file(fixture + ".bnstats.safetensors"));
        NDManager m = NDManager.newBaseManager()) {
      String key = bn.infos().get(0).name();
      NDArray loaded = src.load(key, m);
      org.junit.jupiter.api.Assertions.assertArrayEquals(bn.readFloats(key), loaded.toFloatArray());
      String nbt =
          src.shapes().keySet().stream()
              .filter(k -> k.endsWith("num_batches_tracked"))
              .findFirst()
              .orElseThrow();
      assertEquals(0L, src.load(nbt, m).getLong());
    }
  }
}
