package io.cascadefarm.worker;

import static io.cascadefarm.worker.ItFarm.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cascadefarm.common.job.JobDefaults;
import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.job.StageParams;
import io.cascadefarm.common.port.NewJob;
import io.cascadefarm.worker.cascade.CascadeRenderer;
import io.cascadefarm.worker.testing.PngRenderer;
import io.micrometer.core.instrument.Timer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker with the real {@link CascadeRenderer} on the {@code tiny} model (random weights, CPU)
 * against the real services: text-to-image jobs batched together and an image-to-image job whose
 * input comes from S3 all succeed with PNGs of the requested size; the model loads once.
 */
class CascadeWorkerIntegrationTest {
  private static ItFarm farm;
  private static CascadeRenderer renderer;

  @BeforeAll
  static void services() {
    farm = new ItFarm();
    renderer =
        CascadeRenderer.open(Path.of("target", "no-checkpoints"), Path.of("target", "tiny-models"));
  }

  @AfterAll
  static void close() throws Exception {
    renderer.close();
    farm.close();
  }

  private static UUID submit(JobKind kind, String prompt, String image) {
    JobParams p =
        JobParams.builder()
            .kind(kind)
            .prompt(prompt)
            .size(128, 96)
            .seed(11L)
            .images(1)
            .model("tiny")
            .prior(new StageParams(3, null, null))
            .decoder(new StageParams(2, null, null))
            .image(image)
            .build();
    UUID id = UUID.randomUUID();
    farm.store.submit(new NewJob(id, "t1", JobDefaults.resolve(p, () -> 1L), 3), null, null);
    return id;
  }

  @Test
  void tinyJobsRenderThroughTheCascadePipeline() throws Exception {
    farm.objects.put(
        "uploads/" + "3".repeat(64) + ".png", PngRenderer.png(150, 110, 5), "image/png");
    Worker w =
        farm.worker(
            "cascade-it", renderer, "farm.worker.batch-size", "2", "farm.worker.batch-wait", "2s");
    try {
      List<UUID> ids =
          List.of(
              submit(JobKind.TEXT_TO_IMAGE, "a red fox", null),
              submit(JobKind.TEXT_TO_IMAGE, "a blue owl", null),
              submit(JobKind.IMAGE_TO_IMAGE, "a green cat", "uploads/" + "3".repeat(64) + ".png"));
      await(
          "3 tiny jobs to succeed",
          Duration.ofSeconds(300),
          () ->
              ids.stream()
                  .allMatch(
                      id -> {
                        JobStatus s = farm.job(id).status();
                        if (s == JobStatus.FAILED) {
                          throw new AssertionError("job failed: " + farm.job(id).error());
                        }
                        return s == JobStatus.SUCCEEDED;
                      }));
      for (UUID id : ids) {
        String key = farm.job(id).result().images().get(0).key();
        BufferedImage img =
            ImageIO.read(new ByteArrayInputStream(farm.objects.get(key).orElseThrow()));
        assertEquals(128, img.getWidth());
        assertEquals(96, img.getHeight());
      }
      Timer load =
          w.metrics().registry().find("farm.worker.model.load").tag("model", "tiny").timer();
      assertEquals(1, load.count());
    } finally {
      w.close();
    }
  }
}
