package io.cascadefarm.cascade.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.io.SafetensorsReader;
import io.cascadefarm.cascade.pipeline.HostTensor;
import io.cascadefarm.cascade.pipeline.TensorFiles;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Prior-only and decoder-only against the official code ({@code roundtrip} fixture): the port's
 * Stage C run matches the official x0 and survives the farm's prior result file bit for bit; the
 * latents file the official side wrote ({@code image_embeddings}) is read by the farm's decode
 * input reader and decoded by Stage B + Stage A to the official image, within 1e-3.
 */
class PriorDecodeRoundTripTest {

  @Test
  void priorOnlyThenDecoderOnly() throws Exception {
    try (NDManager m = NDManager.newBaseManager();
        PipelineFixtures f = new PipelineFixtures(m)) {
      SafetensorsReader io = f.io("roundtrip.safetensors");
      List<String> lines = new ArrayList<>();
      boolean[] ok = {true};
      Map<String, NDArray>[] c = PipelineFixtures.conditions(io, "c.", m);
      NDArray xc = io.load(m, "c.x_init");
      SamplingResult rc =
          new GdfSampler(f.model("stage_c"))
              .sample(
                  m,
                  c[0],
                  c[1],
                  xc.getShape(),
                  SamplerSettings.fromNoise(3, 4.0, 2.0),
                  xc,
                  new RecordedNoise(null, PipelineFixtures.stepNoise(io, "c.", 3, m)),
                  SamplingObserver.NONE);
      PipelineControlsParityTest.compare(io, "sampled_c", rc.x0(), lines, ok);
      // the prior job's result file round-trips the port's latents exactly
      HostTensor port = new HostTensor(rc.x0().toFloatArray(), rc.x0().getShape().getShape());
      byte[] file = TensorFiles.write(Map.of(TensorFiles.PRIOR_LATENTS, port), Map.of("seed", "1"));
      assertArrayEquals(
          port.data(), TensorFiles.read(file).get(TensorFiles.PRIOR_LATENTS).data(), 0f);
      // decoder-only from the latents file the official side stored
      byte[] official =
          Files.readAllBytes(PipelineFixtures.DIR.resolve("roundtrip.latents.safetensors"));
      HostTensor stored = TensorFiles.read(official).get(TensorFiles.PRIOR_LATENTS);
      NDArray effnet = m.create(stored.data(), new Shape(stored.shape()));
      Map<String, NDArray> cond = new LinkedHashMap<>();
      cond.put("effnet", effnet);
      cond.put("clip", io.load(m, "b.cond.clip"));
      Map<String, NDArray> uncond = new LinkedHashMap<>();
      uncond.put("effnet", effnet.zerosLike());
      uncond.put("clip", io.load(m, "b.uncond.clip"));
      NDArray xb = io.load(m, "b.x_init");
      SamplingResult rb =
          new GdfSampler(f.model("stage_b"))
              .sample(
                  m,
                  cond,
                  uncond,
                  xb.getShape(),
                  SamplerSettings.fromNoise(2, 1.1, 1.0),
                  xb,
                  new RecordedNoise(null, PipelineFixtures.stepNoise(io, "b.", 2, m)),
                  SamplingObserver.NONE);
      PipelineControlsParityTest.compare(io, "sampled_b", rb.x0(), lines, ok);
      PipelineControlsParityTest.compare(io, "image", f.decodeA(rb.x0()), lines, ok);
      lines.forEach(System.out::println);
      assertTrue(ok[0], String.join("\n", lines));
    }
  }
}
