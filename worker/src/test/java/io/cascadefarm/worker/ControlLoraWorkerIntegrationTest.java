package io.cascadefarm.worker;

import static io.cascadefarm.worker.ItFarm.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.cascade.io.SafetensorsWriter;
import io.cascadefarm.cascade.model.TinyPreset;
import io.cascadefarm.cascade.net.stagec.StageC;
import io.cascadefarm.cascade.net.stagec.StageCConfig;
import io.cascadefarm.cascade.pipeline.control.face.TinyFaceModels;
import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobDefaults;
import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.job.LoraRef;
import io.cascadefarm.common.job.StageParams;
import io.cascadefarm.common.port.NewJob;
import io.cascadefarm.worker.cascade.CascadeRenderer;
import io.cascadefarm.worker.testing.PngRenderer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ControlNet and LoRA jobs through a real worker (tiny model, CPU, 64 px) on the real services:
 * canny, inpaint (mask upload), outpaint, super-resolution and a LoRA job (uploaded to S3 as the
 * dispatcher's {@code POST /v1/loras} stores it) are micro-batched only with compatible jobs and
 * identity (tiny ONNX face models on ONNX Runtime) succeed; an unknown LoRA fails naming it.
 */
class ControlLoraWorkerIntegrationTest {
  private static ItFarm farm;
  private static CascadeRenderer renderer;

  @BeforeAll
  static void services() {
    farm = new ItFarm();
    renderer =
        CascadeRenderer.open(Path.of("target", "no-checkpoints"), Path.of("target", "tiny-models"));
    try {
      // identity: tiny ONNX stand-ins for the user-supplied det_10g / w600k_r50 files
      TinyFaceModels.write(
          TinyPreset.prepare(Path.of("target", "tiny-models"))
              .controlNet("identity")
              .getParent()
              .resolve("face"),
          8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterAll
  static void close() throws Exception {
    renderer.close();
    farm.close();
  }

  private static UUID submit(String control, String mask, List<LoraRef> loras) {
    boolean cnet = control != null;
    JobParams p =
        JobParams.builder()
            .kind(cnet ? JobKind.CONTROLNET : JobKind.TEXT_TO_IMAGE)
            .prompt("a tiny farm test [fernando]")
            .size(64, 64)
            .seed(3L)
            .images(1)
            .model("tiny")
            .prior(new StageParams(1, null, null))
            .decoder(new StageParams(1, null, null))
            .image(cnet ? "uploads/" + "4".repeat(64) + ".png" : null)
            .control(control)
            .mask(mask)
            .controlStrength(cnet ? 0.8 : null)
            .loras(loras)
            .build();
    UUID id = UUID.randomUUID();
    farm.store.submit(new NewJob(id, "t1", JobDefaults.resolve(p, () -> 1L), 1), null, null);
    return id;
  }

  @Test
  void controlAndLoraJobsRenderThroughTheWorker() throws Exception {
    farm.objects.put("uploads/" + "4".repeat(64) + ".png", PngRenderer.png(48, 40, 9), "image/png");
    farm.objects.put("uploads/" + "5".repeat(64) + ".png", PngRenderer.png(48, 40, 2), "image/png");
    byte[] lora = tinyLora();
    farm.objects.put("loras/style.safetensors", lora, "application/octet-stream");
    farm.objects.put(
        "loras/style.sha256",
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(lora))
            .getBytes(StandardCharsets.US_ASCII),
        "text/plain");
    Worker w =
        farm.worker(
            "control-it",
            renderer,
            "farm.worker.batch-size",
            "4",
            "farm.worker.batch-wait",
            "2s",
            "farm.models.dir",
            "target/control-it-models");
    try {
      Map<String, UUID> ok = new LinkedHashMap<>();
      ok.put("canny-a", submit("canny", null, null));
      ok.put("canny-b", submit("canny", null, null));
      ok.put("inpaint", submit("inpaint", "uploads/" + "5".repeat(64) + ".png", null));
      ok.put("outpaint", submit("outpaint", null, null));
      ok.put("super_resolution", submit("super_resolution", null, null));
      ok.put("lora", submit(null, null, List.of(new LoraRef("style", 0.9))));
      ok.put("canny+lora", submit("canny", null, List.of(new LoraRef("style", 1.0))));
      ok.put("identity", submit("identity", null, null));
      UUID unknownLora = submit(null, null, List.of(new LoraRef("never-uploaded", 1)));
      await(
          "control and LoRA jobs to finish",
          Duration.ofSeconds(300),
          () ->
              java.util.stream.Stream.concat(
                      ok.values().stream(), java.util.stream.Stream.of(unknownLora))
                  .allMatch(id -> farm.job(id).status().isTerminal()));
      for (Map.Entry<String, UUID> e : ok.entrySet()) {
        Job job = farm.job(e.getValue());
        assertEquals(JobStatus.SUCCEEDED, job.status(), e.getKey() + ": " + job.error());
        String key = job.result().images().get(0).key();
        BufferedImage img =
            ImageIO.read(new ByteArrayInputStream(farm.objects.get(key).orElseThrow()));
        assertEquals(64, img.getWidth(), e.getKey());
      }
      Job missing = farm.job(unknownLora);
      assertEquals(JobStatus.FAILED, missing.status());
      assertTrue(missing.error().message().contains("never-uploaded"), missing.error().message());
      assertTrue(
          Files.list(Path.of("target", "control-it-models", ".lora-cache"))
              .anyMatch(f -> f.getFileName().toString().startsWith("style-")),
          "LoRA cached by name and hash");
    } finally {
      w.close();
    }
  }

  /** A random rank-4 LoRA in the official layout for the tiny Stage C. */
  static byte[] tinyLora() throws Exception {
    Random random = new Random(5);
    SafetensorsWriter w = new SafetensorsWriter();
    var params = new StageC(StageCConfig.tiny()).namedParameters();
    int k = 0;
    for (String key : params.keySet()) {
      if (!key.endsWith(".attn.in_proj_weight")) {
        continue;
      }
      String prefix = key.substring(0, key.length() - "in_proj_weight".length());
      for (String target : new String[] {prefix + "out_proj.weight", key}) {
        long[] s = params.get(target).shape();
        w.addF32("weights." + k + ".lora_down", new long[] {4, s[1]}, gauss(random, 4 * s[1]));
        w.addF32("weights." + k + ".lora_up", new long[] {s[0], 4}, gauss(random, s[0] * 4));
        k++;
      }
    }
    Path tmp = Files.createTempFile(Path.of("target"), "it-lora", ".safetensors");
    w.write(tmp);
    byte[] bytes = Files.readAllBytes(tmp);
    Files.delete(tmp);
    return bytes;
  }

  private static float[] gauss(Random random, long n) {
    float[] out = new float[(int) n];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (random.nextGaussian() * 0.3);
    }
    return out;
  }
}
