package io.cascadefarm.e2e;

import io.cascadefarm.common.port.NumericsCheck;
import io.cascadefarm.common.port.PreviewImage;
import io.cascadefarm.common.port.RenderException;
import io.cascadefarm.common.port.RenderListener;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.common.port.RenderedImage;
import io.cascadefarm.common.port.Renderer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * TEST ONLY: the real renderer, except that a call holding a job with {@code preview_every} waits
 * until the test {@link #open}s it, and then each of its Stage C steps takes {@code stepDelayMs}
 * longer: the test (an event-stream reader, a browser) is watching before the first preview is
 * made, and several previews come while it watches. Everything else passes through.
 */
final class WatchedPreviewRenderer implements Renderer {
  private final Renderer delegate;
  private final long stepDelayMs;
  private final CountDownLatch gate = new CountDownLatch(1);

  WatchedPreviewRenderer(Renderer delegate, long stepDelayMs) {
    this.delegate = delegate;
    this.stepDelayMs = stepDelayMs;
  }

  /** Lets the held renders go. */
  void open() {
    gate.countDown();
  }

  @Override
  public List<List<RenderedImage>> render(List<RenderTask> tasks, RenderListener listener) {
    boolean watched =
        tasks.stream()
            .anyMatch(t -> t.params().previewEvery() != null && t.params().previewEvery() > 0);
    if (!watched) {
      return delegate.render(tasks, listener);
    }
    try {
      if (!gate.await(5, TimeUnit.MINUTES)) {
        throw new RenderException("test_gate", "the test never opened the gate", true, null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RenderException("test_gate", "interrupted", true, e);
    }
    return delegate.render(tasks, slowed(listener));
  }

  private RenderListener slowed(RenderListener l) {
    return new RenderListener() {
      @Override
      public void onStep(String stage, int step, int steps) {
        l.onStep(stage, step, steps);
        if ("prior".equals(stage)) {
          try {
            Thread.sleep(stepDelayMs);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }

      @Override
      public boolean wantsPreview(int task) {
        return l.wantsPreview(task);
      }

      @Override
      public void onPreview(int task, int step, int steps, PreviewImage preview) {
        l.onPreview(task, step, steps, preview);
      }

      @Override
      public boolean isCancelled() {
        return l.isCancelled();
      }
    };
  }

  @Override
  public Renderer unwrapped() {
    return delegate.unwrapped();
  }

  @Override
  public NumericsCheck checkNumerics() {
    return delegate.checkNumerics();
  }

  @Override
  public String describeModel(String model) {
    return delegate.describeModel(model);
  }
}
