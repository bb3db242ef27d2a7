package io.cascadefarm.cascade.net.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.nn.SafetensorsWeights;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Merged weights against the fixture trace {@code merged.<param>} (official parametrization). */
class LoraMergedWeightsTest {

  @Test
  void mergedAttentionWeightsEqualTheOfficialParametrization() throws Exception {
    LoraFile lora = LoraFile.read(ParityFiles.file("stage_c_lora.weights.safetensors"));
    try (NDManager m = NDManager.newBaseManager();
        SafetensorsReader trace =
            SafetensorsReader.open(ParityFiles.file("stage_c_lora.trace.safetensors"));
        LoraMergedWeights merged = open(lora, 1f)) {
      assertEquals(12, merged.mergedKeys().size());
      for (String key : merged.mergedKeys()) {
        float[] want = trace.readFloats("merged." + key);
        float[] got = merged.load(key, m).toFloatArray();
        assertTrue(relErr(want, got) < 1e-6, key + " rel err " + relErr(want, got));
      }
    }
  }

  @Test
  void strengthScalesTheDeltaAndOtherKeysPassThrough() throws Exception {
    LoraFile lora = LoraFile.read(ParityFiles.file("stage_c_lora.weights.safetensors"));
    String key = "up_blocks.0.2.attention.attn.in_proj_weight";
    try (NDManager m = NDManager.newBaseManager();
        SafetensorsReader base =
            SafetensorsReader.open(ParityFiles.file("stage_c.weights.safetensors"));
        LoraMergedWeights zero = open(lora, 0f);
        LoraMergedWeights one = open(lora, 1f);
        LoraMergedWeights half = open(lora, 0.5f)) {
      float[] w = base.readFloats(key);
      float[] w0 = zero.load(key, m).toFloatArray();
      float[] w1 = one.load(key, m).toFloatArray();
      float[] wh = half.load(key, m).toFloatArray();
      for (int i = 0; i < w.length; i++) {
        assertEquals(w[i], w0[i], 0f);
        assertEquals(w[i] + 0.5f * (w1[i] - w[i]), wh[i], 1e-5f);
      }
      assertTrue(relErr(w, w1) > 1e-3, "the LoRA changes the weight");
      String other = "up_blocks.0.2.attention.attn.in_proj_bias";
      NDArray b = one.load(other, m);
      assertEquals(base.readFloats(other)[3], b.toFloatArray()[3], 0f);
    }
  }

  @Test
  void twoLorasAdd() throws Exception {
    LoraFile lora = LoraFile.read(ParityFiles.file("stage_c_lora.weights.safetensors"));
    String key = "down_blocks.1.5.attention.attn.out_proj.weight";
    List<LoraTarget> t =
        LoraTargets.resolve(
            lora, ParityFiles.shapes("stage_c.weights.safetensors"), LoraTargets.OFFICIAL_FILTERS);
    try (NDManager m = NDManager.newBaseManager();
        LoraMergedWeights both =
            new LoraMergedWeights(
                SafetensorsWeights.open(ParityFiles.file("stage_c.weights.safetensors")),
                List.of(
                    new LoraMergedWeights.Applied(t, 0.25f),
                    new LoraMergedWeights.Applied(t, 0.75f)));
        LoraMergedWeights one = open(lora, 1f)) {
      float[] a = both.load(key, m).toFloatArray();
      float[] b = one.load(key, m).toFloatArray();
      for (int i = 0; i < a.length; i++) {
        assertEquals(b[i], a[i], 1e-5f);
      }
    }
  }

  static LoraMergedWeights open(LoraFile lora, float strength) throws Exception {
    List<LoraTarget> targets =
        LoraTargets.resolve(
            lora, ParityFiles.shapes("stage_c.weights.safetensors"), LoraTargets.OFFICIAL_FILTERS);
    return new LoraMergedWeights(
        SafetensorsWeights.open(ParityFiles.file("stage_c.weights.safetensors")),
        List.of(new LoraMergedWeights.Applied(targets, strength)));
  }

  static double relErr(float[] want, float[] got) {
    double max = 0;
    double ref = 0;
    for (int i = 0; i < want.length; i++) {
      max = Math.max(max, Math.abs(want[i] - got[i]));
      ref = Math.max(ref, Math.abs(want[i]));
    }
    return max / ref;
  }
}
