package io.cascadefarm.worker.cascade;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.cascade.diffusion.StageSettings;
import io.cascadefarm.cascade.pipeline.GeneratedImage;
import io.cascadefarm.cascade.pipeline.GenerationCancelledException;
import io.cascadefarm.cascade.pipeline.GenerationKind;
import io.cascadefarm.cascade.pipeline.GenerationRequest;
import io.cascadefarm.cascade.pipeline.GenerationResult;
import io.cascadefarm.common.job.JobDefaults;
import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.port.RenderCancelledException;
import io.cascadefarm.common.port.RenderException;
import io.cascadefarm.common.port.RenderListener;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.common.port.RenderedImage;
import io.cascadefarm.worker.testing.Fixtures;
import io.cascadefarm.worker.testing.PngRenderer;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CascadeRendererTest {
  private final List<GenerationRequest> seen = new ArrayList<>();

  /** Answers each request with one 8x8 image seeded like the request. */
  private List<GenerationResult> answer(List<GenerationRequest> batch) {
    seen.addAll(batch);
    List<GenerationResult> out = new ArrayList<>();
    for (GenerationRequest r : batch) {
      BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
      byte[] png = PngRenderer.png(8, 8, r.seed());
      out.add(
          new GenerationResult(
              List.of(new GeneratedImage(img, png, r.seed(), 8, 8)), r.seed(), Map.of()));
    }
    return out;
  }

  private static RenderTask task(JobKind kind, String image, Map<String, byte[]> inputs) {
    var params = JobDefaults.resolve(Fixtures.params(kind, "a fox", 256, 128, image), () -> 3L);
    return new RenderTask(UUID.randomUUID(), 1, params, inputs);
  }

  @Test
  void mapsJobParamsToRequestsAndResultsBack() {
    CascadeRenderer r = new CascadeRenderer((b, l) -> answer(b), m -> -1, null);
    List<List<RenderedImage>> out =
        r.render(List.of(task(JobKind.TEXT_TO_IMAGE, null, null)), new RenderListener() {});

    GenerationRequest req = seen.get(0);
    assertEquals(GenerationKind.TEXT_TO_IMAGE, req.kind());
    assertEquals("tiny", req.model());
    assertEquals("a fox", req.prompt());
    assertEquals(256, req.width());
    assertEquals(128, req.height());
    assertEquals(7L, req.seed());
    assertEquals(new StageSettings(20, 4.0, 2.0), req.prior());
    assertEquals(new StageSettings(10, 1.1, 1.0), req.decoder());
    assertEquals(7L, out.get(0).get(0).seed());
    assertArrayEquals(PngRenderer.png(8, 8, 7L), out.get(0).get(0).png());
  }

  @Test
  void inputImagesAreDecoded() {
    byte[] png = PngRenderer.png(32, 16, 1);
    CascadeRenderer r = new CascadeRenderer((b, l) -> answer(b), m -> -1, null);
    r.render(
        List.of(
            task(
                JobKind.IMAGE_TO_IMAGE,
                "uploads/" + "2".repeat(64) + ".png",
                Map.of("uploads/" + "2".repeat(64) + ".png", png))),
        new RenderListener() {});

    GenerationRequest req = seen.get(0);
    assertEquals(GenerationKind.IMAGE_TO_IMAGE, req.kind());
    assertEquals(32, req.image().getWidth());
    assertEquals(0.8, req.strength(), 1e-9);
    assertEquals(16, req.prior().steps()); // int(20 * 0.8)
  }

  @Test
  void bytesThatAreNotAnImageAreInvalidInput() {
    CascadeRenderer r = new CascadeRenderer((b, l) -> answer(b), m -> -1, null);
    RenderException e =
        assertThrows(
            RenderException.class,
            () ->
                r.render(
                    List.of(
                        task(
                            JobKind.IMAGE_VARIATION,
                            "uploads/" + "2".repeat(64) + ".png",
                            Map.of("uploads/" + "2".repeat(64) + ".png", new byte[] {1, 2}))),
                    new RenderListener() {}));
    assertEquals("invalid_input", e.code());
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("field image"));
  }

  @Test
  void progressAndCancellationAreBridged() {
    List<String> steps = new ArrayList<>();
    CascadeRenderer r =
        new CascadeRenderer(
            (b, l) -> {
              l.onStep("prior", 1, 20);
              if (l.isCancelled()) {
                throw new GenerationCancelledException("stop");
              }
              return answer(b);
            },
            m -> -1,
            null);
    RenderListener cancelling =
        new RenderListener() {
          @Override
          public void onStep(String stage, int step, int n) {
            steps.add(stage + step + "/" + n);
          }

          @Override
          public boolean isCancelled() {
            return true;
          }
        };
    assertThrows(
        RenderCancelledException.class,
        () -> r.render(List.of(task(JobKind.TEXT_TO_IMAGE, null, null)), cancelling));
    assertEquals(List.of("prior1/20"), steps);
  }

  @Test
  void failuresAreClassified() {
    RenderException invalid = failWith(new IllegalArgumentException("width: must be > 0"));
    assertEquals("invalid_input", invalid.code());
    assertFalse(invalid.retryable());
    assertFalse(failWith(new UnsupportedOperationException("controlnet")).retryable());
    assertTrue(failWith(new IllegalStateException("device lost")).retryable());
    RenderException oom = failWith(new OutOfMemoryError("Java heap space"));
    assertEquals("out_of_memory", oom.code());
    assertTrue(oom.retryable());
  }

  private RenderException failWith(Throwable t) {
    CascadeRenderer r =
        new CascadeRenderer(
            (b, l) -> {
              if (t instanceof RuntimeException re) {
                throw re;
              }
              throw (Error) t;
            },
            m -> -1,
            null);
    return assertThrows(
        RenderException.class,
        () -> r.render(List.of(task(JobKind.TEXT_TO_IMAGE, null, null)), new RenderListener() {}));
  }

  @Test
  void aModelsLoadTimeIsReportedOnce() {
    List<String> reports = new ArrayList<>();
    CascadeRenderer r = new CascadeRenderer((b, l) -> answer(b), m -> 1234, null);
    r.onModelLoaded((m, d) -> reports.add(m + "=" + d.toMillis()));
    r.render(List.of(task(JobKind.TEXT_TO_IMAGE, null, null)), new RenderListener() {});
    r.render(List.of(task(JobKind.TEXT_TO_IMAGE, null, null)), new RenderListener() {});
    assertEquals(List.of("tiny=1234"), reports);

    List<Duration> late = new ArrayList<>();
    r.onModelLoaded((m, d) -> late.add(d));
    assertEquals(List.of(Duration.ofMillis(1234)), late);
  }

  @Test
  void tinyIsDescribedAsNoise() {
    CascadeRenderer r = new CascadeRenderer((b, l) -> answer(b), m -> -1, null);
    assertTrue(r.describeModel("tiny").contains("noise"));
    assertEquals("lite", r.describeModel("lite"));
  }
}
