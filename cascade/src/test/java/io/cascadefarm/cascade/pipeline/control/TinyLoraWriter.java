package io.cascadefarm.cascade.pipeline.control;

import io.cascadefarm.cascade.io.SafetensorsWriter;
import io.cascadefarm.cascade.net.stagec.StageC;
import io.cascadefarm.cascade.net.stagec.StageCConfig;
import io.cascadefarm.cascade.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * Writes a random rank-4 LoRA in the official layout ({@code weights.<k>.lora_down/up}) for the
 * tiny Stage C: per attention block, {@code out_proj.weight} first, then {@code in_proj_weight}.
 */
public final class TinyLoraWriter {
  private TinyLoraWriter() {}

  public static Path write(Path file, long seed) throws IOException {
    int rank = 4;
    Random random = new Random(seed);
    SafetensorsWriter w = new SafetensorsWriter();
    int k = 0;
    Map<String, Parameter> params = new StageC(StageCConfig.tiny()).namedParameters();
    for (String key : params.keySet()) {
      if (!key.endsWith(".attn.in_proj_weight")) {
        continue;
      }
      String prefix = key.substring(0, key.length() - "in_proj_weight".length());
      for (String target : new String[] {prefix + "out_proj.weight", key}) {
        long[] shape = params.get(target).shape();
        w.addF32(
            "weights." + k + ".lora_down",
            new long[] {rank, shape[1]},
            gaussian(random, rank * (int) shape[1], 0.3f));
        w.addF32(
            "weights." + k + ".lora_up",
            new long[] {shape[0], rank},
            gaussian(random, (int) shape[0] * rank, 0.3f));
        k++;
      }
    }
    w.write(file);
    return file;
  }

  private static float[] gaussian(Random random, int n, float std) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (random.nextGaussian() * std);
    }
    return out;
  }
}
