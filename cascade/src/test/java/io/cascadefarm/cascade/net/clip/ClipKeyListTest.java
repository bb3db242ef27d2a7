package io.cascadefarm.cascade.net.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.cascade.io.TensorInfo;
import io.cascadefarm.cascade.nn.Module;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The declared modules of the big presets must have exactly the keys and shapes of the transformers
 * checkpoints ({@code clip/*.keys.tsv}, derived from the HF configs; {@code optional} rows are the
 * {@code position_ids} buffers that only old files carry).
 */
class ClipKeyListTest {

  @Test
  void textEncoderKeysMatchCheckpointLayout() throws IOException {
    Map<String, String> expected = read("/clip/clip_text_bigg14.keys.tsv", false);
    assertEquals(expected, declared(new ClipTextModel(ClipTextConfig.big())));
    assertEquals(694_659_840L, new ClipTextModel(ClipTextConfig.big()).numel());
  }

  @Test
  void visionEncoderKeysMatchCheckpointLayout() throws IOException {
    Map<String, String> expected = read("/clip/clip_vision_vitl14.keys.tsv", false);
    assertEquals(expected, declared(new ClipVisionModel(ClipVisionConfig.big())));
    assertEquals(303_966_208L, new ClipVisionModel(ClipVisionConfig.big()).numel());
  }

  @Test
  void optionalKeysAreExactlyThePositionIdBuffers() throws IOException {
    Map<String, String> text = read("/clip/clip_text_bigg14.keys.tsv", true);
    Map<String, String> vision = read("/clip/clip_vision_vitl14.keys.tsv", true);
    assertEquals(Map.of("text_model.embeddings.position_ids", "[1,77]"), text);
    assertEquals(Map.of("vision_model.embeddings.position_ids", "[1,257]"), vision);
    text.keySet().forEach(k -> assertTrue(ClipWeights.isOptional(k)));
    vision.keySet().forEach(k -> assertTrue(ClipWeights.isOptional(k)));
  }

  private static Map<String, String> declared(Module m) {
    Map<String, String> out = new TreeMap<>();
    m.namedParameters().forEach((k, p) -> out.put(k, TensorInfo.shapeText(p.shape())));
    return out;
  }

  private static Map<String, String> read(String resource, boolean optional) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (InputStream in = ClipKeyListTest.class.getResourceAsStream(resource)) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        if (f[2].equals("optional") == optional) {
          out.put(f[0], f[1]);
        }
      }
    }
    return new TreeMap<>(out);
  }
}
