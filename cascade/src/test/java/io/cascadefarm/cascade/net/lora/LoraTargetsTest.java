package io.cascadefarm.cascade.net.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoraTargetsTest {

  @Test
  void fixtureLoraMapsToTheOwnersListedInItsJson() throws IOException {
    LoraFile lora = LoraFile.read(ParityFiles.file("stage_c_lora.weights.safetensors"));
    assertEquals(LoraLayout.OFFICIAL, lora.layout());
    assertEquals(12, lora.pairs().size());
    assertTrue(lora.tokens().isEmpty());
    List<LoraTarget> targets =
        LoraTargets.resolve(
            lora, ParityFiles.shapes("stage_c.weights.safetensors"), LoraTargets.OFFICIAL_FILTERS);
    JsonNode owners = ParityFiles.json("stage_c_lora.json").get("lora_owners");
    for (int i = 0; i < targets.size(); i++) {
      JsonNode o = owners.get("weights." + i);
      assertEquals(o.get("target_parameter").asText(), targets.get(i).key(), "weights." + i);
      assertEquals(o.get("scale").floatValue(), targets.get(i).pair().scale(), 0f);
      assertEquals("weights." + i, targets.get(i).pair().name());
    }
  }

  @Test
  void bigStageCTraversalOrderMatchesTheOfficialManifest() throws IOException {
    Map<String, long[]> big = ParityFiles.manifest("stage_c_big_3.6B.keys.tsv");
    List<String> keys = KeyTree.of(big).loraTargets(LoraTargets.OFFICIAL_FILTERS);
    List<String> expected = new ArrayList<>();
    for (String line :
        Files.readAllLines(
            ParityFiles.file("manifests/lora_c_3b_rank4.owners.tsv"), StandardCharsets.UTF_8)) {
      String owner = line.split("\t")[1];
      expected.add(
          owner
              .replace(".parametrizations.weight.0", ".weight")
              .replace(".parametrizations.in_proj_weight.0", ".in_proj_weight"));
    }
    assertEquals(128, keys.size());
    assertEquals(expected, keys);
  }

  @Test
  void loraForAnotherModelIsRefused() throws IOException {
    LoraFile lora = LoraFile.read(ParityFiles.file("stage_c_lora.weights.safetensors"));
    Map<String, long[]> big = ParityFiles.manifest("stage_c_big_3.6B.keys.tsv");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LoraTargets.resolve(lora, big, LoraTargets.OFFICIAL_FILTERS));
    assertTrue(e.getMessage().contains("12 LoRA pairs but the model has 128"), e.getMessage());
  }
}
