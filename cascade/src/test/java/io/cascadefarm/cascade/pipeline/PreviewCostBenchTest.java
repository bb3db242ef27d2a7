package io.cascadefarm.cascade.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cascadefarm.cascade.diffusion.StageSettings;
import io.cascadefarm.cascade.model.ModelRegistry;
import io.cascadefarm.cascade.net.previewer.Previewer;
import io.cascadefarm.cascade.net.previewer.PreviewerConfig;
import io.cascadefarm.cascade.net.stagea.TinyWeights;
import io.cascadefarm.codec.image.ImageCodec;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a live preview costs on this machine's CPU (printed; no timing assertions, see
 * docs/scale-api.md): (1) a tiny-model render of 256x256 with a preview after every one of its 12
 * Stage C steps against the same render without, measured alternately in the same run, as the added
 * milliseconds per preview and the ratio of the two; (2) one preview with the released Previewer's
 * size ({@link PreviewerConfig#official()}, which lite and big both use; random weights) of the
 * Stage C latents of a 1024x1024 image (16x24x24 to a 192x192 PNG): Previewer forward, conversion
 * to an image and PNG encoding, against one tiny Stage C step as printed.
 */
class PreviewCostBenchTest {
  static final int PRIOR_STEPS = 12;
  static final int ROUNDS = 5;

  @Test
  void addedTimePerPreviewOnTheTinyModelAndForTheReleasedPreviewer() throws Exception {
    try (ModelRegistry registry =
            ModelRegistry.open(
                Path.of("target", "no-checkpoints"), Path.of("target", "tiny-models"));
        CascadePipeline pipeline = new CascadePipeline(registry)) {
      GenerationRequest off =
          GenerationRequest.builder(GenerationKind.TEXT_TO_IMAGE)
              .model("tiny")
              .prompt("a preview bench")
              .size(256, 256)
              .seed(3L)
              .prior(new StageSettings(PRIOR_STEPS, 4.0, 2.0))
              .decoder(new StageSettings(2, 1.1, 1.0))
              .build();
      GenerationRequest on = off.toBuilder().previewEvery(1).build();
      AtomicInteger previews = new AtomicInteger();
      GenerationListener count =
          new GenerationListener() {
            @Override
            public void onPreview(int request, int step, int steps, BufferedImage image) {
              ImageCodec.encodePng(image); // as the worker does before uploading
              previews.incrementAndGet();
            }
          };
      pipeline.generate(on, count); // warm-up (loads the model)
      pipeline.generate(off, count);
      previews.set(0);
      long[] without = new long[ROUNDS];
      long[] with = new long[ROUNDS];
      for (int i = 0; i < ROUNDS; i++) {
        without[i] = time(() -> pipeline.generate(off, count));
        with[i] = time(() -> pipeline.generate(on, count));
      }
      assertEquals(ROUNDS * PRIOR_STEPS, previews.get(), "one preview per Stage C step");
      double a = median(without);
      double b = median(with);
      System.out.printf(
          "preview cost, tiny 256x256, %d Stage C steps: without %.1f ms, with a preview per step"
              + " %.1f ms (ratio %.3f): %.2f ms per 48x48 preview (median of %d)%n",
          PRIOR_STEPS, a / 1e6, b / 1e6, b / a, (b - a) / 1e6 / PRIOR_STEPS, ROUNDS);
    }

    try (NDManager m = NDManager.newBaseManager()) {
      Previewer tiny = TinyWeights.bind(new Previewer(PreviewerConfig.tiny()), "previewer_tiny", m);
      System.out.printf(
          "preview cost, tiny Previewer, 256x256 image: %.2f ms per 48x48 preview (forward +"
              + " image + PNG, median of %d)%n",
          timePreview(tiny, m.randomNormal(new Shape(1, 16, 6, 6)), 48) / 1e6, ROUNDS);
      Previewer released =
          TinyWeights.bind(
              new Previewer(PreviewerConfig.official()), "previewer_official_random", m);
      System.out.printf(
          "preview cost, released Previewer size (3.98 M parameters, random weights), 1024x1024"
              + " image: %.1f ms per 192x192 preview (forward + image + PNG, median of %d)%n",
          timePreview(released, m.randomNormal(new Shape(1, 16, 24, 24)), 192) / 1e6, ROUNDS);
    }
  }

  /** The median time of one preview of {@code latents} after a warm-up, checking its width. */
  private static double timePreview(Previewer p, NDArray latents, int width) {
    long[] took = new long[ROUNDS];
    BufferedImage[] last = new BufferedImage[1];
    for (int i = -1; i < ROUNDS; i++) {
      long t = time(() -> last[0] = preview(p, latents));
      if (i >= 0) {
        took[i] = t;
      }
    }
    assertEquals(width, last[0].getWidth());
    return median(took);
  }

  private static BufferedImage preview(Previewer p, NDArray latents) {
    try (NDManager scope = latents.getManager().newSubManager()) {
      NDArray x = latents.duplicate();
      x.attach(scope);
      NDArray rgb = p.preview(x).toType(DataType.FLOAT32, false);
      rgb.attach(scope);
      List<BufferedImage> images = ImageBatch.toImages(rgb);
      ImageCodec.encodePng(images.get(0));
      return images.get(0);
    }
  }

  private static long time(Runnable r) {
    long t0 = System.nanoTime();
    r.run();
    return System.nanoTime() - t0;
  }

  private static double median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
