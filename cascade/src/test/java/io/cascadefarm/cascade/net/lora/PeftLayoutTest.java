package io.cascadefarm.cascade.net.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.io.SafetensorsWriter;
import io.cascadefarm.cascade.nn.SafetensorsWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** diffusers/PEFT naming: q/k/v go to row blocks of the packed in_proj_weight. */
class PeftLayoutTest {
  private static final String BLOCK = "up_blocks.0.2";
  private static final int C = 64;
  private static final int R = 2;

  @Test
  void qkvAndOutMapToPackedRowsWithAlphaScale() throws Exception {
    Path file = Files.createTempDirectory("peft").resolve("peft.safetensors");
    Random rnd = new Random(5);
    SafetensorsWriter w = new SafetensorsWriter();
    String[] projs = {"to_q", "to_k", "to_v", "to_out.0"};
    float[][] a = new float[4][];
    float[][] b = new float[4][];
    for (int i = 0; i < 4; i++) {
      a[i] = gaussian(rnd, R * C);
      b[i] = gaussian(rnd, C * R);
      String stem = "prior." + BLOCK + ".attention." + projs[i];
      w.addF32(stem + ".lora_A.weight", new long[] {R, C}, a[i]);
      w.addF32(stem + ".lora_B.weight", new long[] {C, R}, b[i]);
      w.addF32(stem + ".alpha", new long[] {}, new float[] {1f});
    }
    w.write(file);
    LoraFile lora = LoraFile.read(file);
    assertEquals(LoraLayout.PEFT, lora.layout());
    Map<String, long[]> shapes = ParityFiles.shapes("stage_c.weights.safetensors");
    List<LoraTarget> targets = LoraTargets.resolve(lora, shapes, LoraTargets.OFFICIAL_FILTERS);
    assertEquals(4, targets.size());
    String inProj = BLOCK + ".attention.attn.in_proj_weight";
    String outProj = BLOCK + ".attention.attn.out_proj.weight";
    try (NDManager m = NDManager.newBaseManager();
        SafetensorsReader base =
            SafetensorsReader.open(ParityFiles.file("stage_c.weights.safetensors"));
        LoraMergedWeights merged =
            new LoraMergedWeights(
                SafetensorsWeights.open(ParityFiles.file("stage_c.weights.safetensors")),
                List.of(new LoraMergedWeights.Applied(targets, 1f)))) {
      float[] in0 = base.readFloats(inProj);
      float[] in1 = merged.load(inProj, m).toFloatArray();
      float[] out0 = base.readFloats(outProj);
      float[] out1 = merged.load(outProj, m).toFloatArray();
      for (int blockIdx = 0; blockIdx < 3; blockIdx++) {
        int row = blockIdx * C + 7;
        int col = 11;
        assertEquals(
            in0[row * C + col] + 0.5f * dot(b[blockIdx], a[blockIdx], 7, col),
            in1[row * C + col],
            1e-5f,
            "block " + blockIdx);
      }
      assertEquals(out0[3 * C + 5] + 0.5f * dot(b[3], a[3], 3, 5), out1[3 * C + 5], 1e-5f);
    }
  }

  @Test
  void halfPairsAreRefused() throws Exception {
    Path file = Files.createTempDirectory("peft").resolve("half.safetensors");
    new SafetensorsWriter()
        .addF32(BLOCK + ".attention.to_q.lora_A.weight", new long[] {R, C}, new float[R * C])
        .write(file);
    assertThrows(IllegalArgumentException.class, () -> LoraFile.read(file));
  }

  private static float dot(float[] up, float[] down, int row, int col) {
    float s = 0;
    for (int k = 0; k < R; k++) {
      s += up[row * R + k] * down[k * C + col];
    }
    return s;
  }

  private static float[] gaussian(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }
}
