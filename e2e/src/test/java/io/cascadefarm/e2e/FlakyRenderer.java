package io.cascadefarm.e2e;

import io.cascadefarm.common.port.NumericsCheck;
import io.cascadefarm.common.port.RenderException;
import io.cascadefarm.common.port.RenderListener;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.common.port.RenderedImage;
import io.cascadefarm.common.port.Renderer;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TEST ONLY: the real renderer, except that a job whose seed is {@link #FAILING_SEED} fails for
 * good (a non-retryable {@code injected_fault}) the first time it is rendered alone, and every call
 * that batches it with others fails (so the worker splits the call and renders it alone): the
 * dashboard gets one failed job whose retry then succeeds.
 */
final class FlakyRenderer implements Renderer {
  static final long FAILING_SEED = 7;
  private final Renderer delegate;
  private final Set<UUID> failed = ConcurrentHashMap.newKeySet();

  FlakyRenderer(Renderer delegate) {
    this.delegate = delegate;
  }

  @Override
  public List<List<RenderedImage>> render(List<RenderTask> tasks, RenderListener listener) {
    for (RenderTask t : tasks) {
      boolean failing = t.params().seed() == FAILING_SEED && !failed.contains(t.jobId());
      if (failing && (tasks.size() > 1 || failed.add(t.jobId()))) {
        throw new RenderException(
            "injected_fault", "test fault: the first render of seed 7 fails", false, null);
      }
    }
    return delegate.render(tasks, listener);
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
