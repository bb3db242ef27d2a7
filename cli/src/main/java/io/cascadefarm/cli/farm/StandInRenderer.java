package io.cascadefarm.cli.farm;

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
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * <b>A stand-in, not the Stable Cascade pipeline:</b> draws seeded RGB noise of the requested size
 * for every image of every task, reporting prior and decoder steps and honouring cancellation
 * between them. {@link FarmRenderers} uses it only while the worker module has no renderer backed
 * by the {@code cascade} pipelines, and says so at startup.
 */
final class StandInRenderer implements Renderer {
  static final String DESCRIPTION =
      "STAND-IN renderer (seeded noise PNGs; the cascade pipeline renderer is not wired in yet)";

  @Override
  public List<List<RenderedImage>> render(List<RenderTask> tasks, RenderListener listener) {
    step(listener, "prior", tasks.get(0).params().prior().steps());
    step(listener, "decoder", tasks.get(0).params().decoder().steps());
    List<List<RenderedImage>> out = new ArrayList<>();
    for (RenderTask t : tasks) {
      List<RenderedImage> images = new ArrayList<>();
      int w = t.params().width();
      int h = t.params().height();
      for (int i = 0; i < t.params().images(); i++) {
        long seed = t.params().seed() + i;
        images.add(new RenderedImage(noisePng(w, h, seed), w, h, seed));
      }
      out.add(images);
    }
    return out;
  }

  private static void step(RenderListener listener, String stage, Integer steps) {
    int n = steps == null ? 1 : steps;
    for (int s = 1; s <= n; s++) {
      if (listener.isCancelled()) {
        throw new RenderCancelledException("cancelled in " + stage + " at step " + s);
      }
      listener.onStep(stage, s, n);
    }
  }

  static byte[] noisePng(int w, int h, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, random.nextInt(0x1000000));
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
    return model + ": " + DESCRIPTION;
  }
}
