package io.cascadefarm.worker.testing;

import io.cascadefarm.common.port.RenderCancelledException;
import io.cascadefarm.common.port.RenderListener;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.common.port.RenderedImage;
import io.cascadefarm.common.port.Renderer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.imageio.ImageIO;

/**
 * A stand-in renderer: for each task, {@code images} PNGs of the requested size whose pixels are a
 * function of the seed (deterministic). It steps through {@code steps} fake denoising steps,
 * calling the listener and honouring cancellation, and records each call's batch size. {@link
 * #onStep} lets a test act in the middle of a render (e.g. cancel a job).
 */
public final class PngRenderer implements Renderer {
  public final List<Integer> calls = new CopyOnWriteArrayList<>();
  private final int steps;
  private volatile Consumer<Integer> onStep = s -> {};

  public PngRenderer(int steps) {
    this.steps = steps;
  }

  public void onStep(Consumer<Integer> action) {
    this.onStep = action;
  }

  @Override
  public List<List<RenderedImage>> render(List<RenderTask> tasks, RenderListener listener) {
    calls.add(tasks.size());
    for (int s = 1; s <= steps; s++) {
      onStep.accept(s);
      if (listener.isCancelled()) {
        throw new RenderCancelledException("cancelled at step " + s);
      }
      listener.onStep("prior", s, steps);
    }
    List<List<RenderedImage>> out = new ArrayList<>();
    for (RenderTask t : tasks) {
      List<RenderedImage> images = new ArrayList<>();
      for (int i = 0; i < t.params().images(); i++) {
        long seed = t.params().seed() + i;
        int w = t.params().width();
        int h = t.params().height();
        images.add(new RenderedImage(png(w, h, seed), w, h, seed));
      }
      out.add(images);
    }
    return out;
  }

  /** A PNG whose pixels depend only on size and seed. */
  public static byte[] png(int w, int h, long seed) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, (int) ((seed * 2654435761L + x * 31L + y * 17L) & 0xFFFFFF));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public String describeModel(String model) {
    return model + " (test renderer: seeded pattern)";
  }
}
