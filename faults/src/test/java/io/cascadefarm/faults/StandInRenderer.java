package io.cascadefarm.faults;

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
import javax.imageio.ImageIO;

/**
 * The fallback renderer ({@code -Dfarm.faults.renderer=stand-in}): 10 steps of {@code stepMillis}
 * each, then one seeded PNG of the requested size per image. Not used by default: the suite renders
 * with the real cascade pipeline on the tiny model.
 */
final class StandInRenderer implements Renderer {
  private static final int STEPS = 10;
  private final long stepMillis;

  StandInRenderer(long stepMillis) {
    this.stepMillis = stepMillis;
  }

  @Override
  public List<List<RenderedImage>> render(List<RenderTask> tasks, RenderListener listener) {
    for (int s = 1; s <= STEPS; s++) {
      if (listener.isCancelled()) {
        throw new RenderCancelledException("cancelled at step " + s);
      }
      try {
        Thread.sleep(stepMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RenderCancelledException("interrupted");
      }
      listener.onStep("prior", s, STEPS);
    }
    List<List<RenderedImage>> out = new ArrayList<>();
    for (RenderTask t : tasks) {
      List<RenderedImage> images = new ArrayList<>();
      for (int i = 0; i < t.params().images(); i++) {
        long seed = t.params().seed() + i;
        images.add(
            new RenderedImage(
                png(t.params().width(), t.params().height(), seed),
                t.params().width(),
                t.params().height(),
                seed));
      }
      out.add(images);
    }
    return out;
  }

  private static byte[] png(int w, int h, long seed) {
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
}
