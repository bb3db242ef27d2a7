package io.cascadefarm.worker.cascade;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.cascade.pipeline.HostTensor;
import io.cascadefarm.cascade.pipeline.TensorFiles;
import io.cascadefarm.common.contract.JobContract;
import io.cascadefarm.common.job.JobDefaults;
import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.StageParams;
import io.cascadefarm.common.port.RenderListener;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.common.port.RenderedImage;
import io.cascadefarm.worker.render.ResultUploader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A {@code prior} job renders its Stage C latents as a safetensors result (stored as {@code
 * results/<job>/<attempt>/<n>.safetensors}), and a {@code decode} job whose {@code embeddings}
 * upload is that file renders the text-to-image job's pixels; {@code latents} uploads start the
 * sampler.
 */
class PriorDecodeRenderTest {
  static CascadeRenderer renderer;

  @BeforeAll
  static void open() {
    renderer =
        CascadeRenderer.open(Path.of("target", "no-checkpoints"), Path.of("target", "tiny-models"));
  }

  @AfterAll
  static void close() throws Exception {
    renderer.close();
  }

  static JobParams job(JobKind kind) {
    return JobDefaults.resolve(
        JobParams.builder()
            .kind(kind)
            .prompt("a fox")
            .model("tiny")
            .size(128, 96)
            .seed(21L)
            .prior(new StageParams(2, 4.0, 2.0))
            .decoder(new StageParams(2, 1.1, 1.0))
            .build(),
        () -> 1L);
  }

  static RenderedImage render(JobParams p, Map<String, byte[]> inputs) {
    assertEquals(List.of(), JobContract.check(p, io.cascadefarm.common.contract.JobLimits.CEILING));
    return renderer
        .render(List.of(new RenderTask(UUID.randomUUID(), 1, p, inputs)), new RenderListener() {})
        .get(0)
        .get(0);
  }

  @Test
  void priorResultDecodesToTheTextToImagePixels() {
    RenderedImage full = render(job(JobKind.TEXT_TO_IMAGE), Map.of());
    RenderedImage prior = render(job(JobKind.PRIOR), Map.of());
    assertEquals("safetensors", prior.format());
    assertEquals("application/octet-stream", prior.contentType());
    assertTrue(
        ResultUploader.key(UUID.randomUUID(), 1, 0, prior.format()).endsWith("/1/0.safetensors"));
    HostTensor latents = TensorFiles.read(prior.png()).get(TensorFiles.PRIOR_LATENTS);
    assertEquals(16, latents.shape()[1]);
    String key = "uploads/" + "e".repeat(64) + ".safetensors";
    JobParams decode = job(JobKind.DECODE).toBuilder().embeddings(key).build();
    RenderedImage decoded = render(decode, Map.of(key, prior.png()));
    assertEquals("png", decoded.format());
    assertArrayEquals(pixels(full.png()), pixels(decoded.png()));
  }

  static int[] pixels(byte[] png) {
    try {
      java.awt.image.BufferedImage img =
          javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
      return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
