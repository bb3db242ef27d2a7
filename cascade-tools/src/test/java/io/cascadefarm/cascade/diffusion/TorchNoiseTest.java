package io.cascadefarm.cascade.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.cascade.io.SafetensorsReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link TorchRandom} / {@link TorchNoise} against values Debian's torch 1.13 produced on an AVX2
 * CPU ({@code tools/pipeline-gen}): {@code torch.manual_seed} + {@code torch.randn} bit for bit
 * (sizes with and without a 16-element tail, seeds above 2^32 and up to 2^63 - 1, several draws in
 * a row), and the official pipeline's initial Stage C and Stage B noise and every step's noise when
 * it runs on torch's global CPU generator.
 */
class TorchNoiseTest {

  @Test
  void randnMatchesTorchBitForBit() throws Exception {
    JsonNode json = PipelineFixtures.json("torch_randn");
    try (NDManager m = NDManager.newBaseManager();
        PipelineFixtures f = new PipelineFixtures(m)) {
      SafetensorsReader io = f.io("torch_randn.safetensors");
      TorchRandom random = null;
      long seed = -1;
      int checked = 0;
      for (JsonNode c : json.path("cases")) {
        long s = Long.parseUnsignedLong(c.path("seed").asText());
        if (random == null || s != seed) {
          random = new TorchRandom(s);
          seed = s;
        }
        int n = 1;
        for (JsonNode d : c.path("shape")) {
          n *= d.asInt();
        }
        float[] got = random.randn(n);
        String key = c.path("key").asText();
        assertEquals(c.path("sha256").asText(), sha256(got), key + ": sha256 of the float32 bytes");
        if (io.contains(key)) {
          assertArrayEquals(io.readFloats(key), got, 0f, key);
        }
        checked++;
      }
      assertTrue(checked >= 9, "cases checked: " + checked);
    }
  }

  @Test
  void officialPipelineNoiseOnTheCpuGenerator() throws Exception {
    JsonNode json = PipelineFixtures.json("torch_noise");
    long seed = json.path("seed").asLong();
    try (NDManager m = NDManager.newBaseManager();
        PipelineFixtures f = new PipelineFixtures(m)) {
      SafetensorsReader io = f.io("torch_noise.safetensors");
      TorchNoise noise = new TorchNoise(new long[] {seed});
      List<String> lines = new ArrayList<>();
      boolean[] ok = {true};
      // Stage C from noise drawn by the port, checked draw by draw
      Map<String, NDArray>[] c = PipelineFixtures.conditions(io, "c.", m);
      SamplerSettings sc = SamplerSettings.fromNoise(3, 4.0, 2.0);
      Shape shapeC = io.load(m, "c.x_init").getShape();
      NoiseSource checkedC = checked(noise, io, "c.", lines, ok);
      SamplingResult rc =
          new GdfSampler(f.model("stage_c"))
              .sample(m, c[0], c[1], shapeC, sc, null, checkedC, SamplingObserver.NONE);
      PipelineControlsParityTest.compare(io, "sampled_c", rc.x0(), lines, ok);
      // Stage B continues the same stream
      Map<String, NDArray> cond = new java.util.LinkedHashMap<>();
      cond.put("effnet", rc.x0());
      cond.put("clip", io.load(m, "b.cond.clip"));
      Map<String, NDArray> uncond = new java.util.LinkedHashMap<>();
      uncond.put("effnet", rc.x0().zerosLike());
      uncond.put("clip", io.load(m, "b.uncond.clip"));
      Shape shapeB = io.load(m, "b.x_init").getShape();
      SamplingResult rb =
          new GdfSampler(f.model("stage_b"))
              .sample(
                  m,
                  cond,
                  uncond,
                  shapeB,
                  SamplerSettings.fromNoise(2, 1.1, 1.0),
                  null,
                  checked(noise, io, "b.", lines, ok),
                  SamplingObserver.NONE);
      PipelineControlsParityTest.compare(io, "sampled_b", rb.x0(), lines, ok);
      PipelineControlsParityTest.compare(io, "image", f.decodeA(rb.x0()), lines, ok);
      lines.forEach(System.out::println);
      assertTrue(ok[0], String.join("\n", lines));
    }
  }

  /** Passes the port's draws through, asserting each equals the recorded torch draw exactly. */
  private static NoiseSource checked(
      TorchNoise noise, SafetensorsReader io, String prefix, List<String> lines, boolean[] ok) {
    return new NoiseSource() {
      @Override
      public NDArray initial(NDManager manager, Shape shape) {
        return same(noise.initial(manager, shape), prefix + "x_init");
      }

      @Override
      public NDArray step(NDManager manager, Shape shape, int step) {
        return same(noise.step(manager, shape, step), prefix + "step" + step + ".noise");
      }

      private NDArray same(NDArray got, String key) {
        float[] expected = io.readFloats(key);
        float[] actual = got.toFloatArray();
        int differ = 0;
        for (int i = 0; i < expected.length; i++) {
          differ +=
              Float.floatToRawIntBits(expected[i]) == Float.floatToRawIntBits(actual[i]) ? 0 : 1;
        }
        ok[0] &= differ == 0 && expected.length == actual.length;
        lines.add(
            String.format(
                "%-16s %s %d of %d floats differ",
                key, differ == 0 ? "exact" : "FAIL ", differ, expected.length));
        return got;
      }
    };
  }

  static String sha256(float[] v) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      b.putFloat(x);
    }
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
  }
}
