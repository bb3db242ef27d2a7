package io.cascadefarm.worker.fault;

import io.cascadefarm.common.port.RenderException;
import io.cascadefarm.common.port.RenderListener;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.common.port.RenderedImage;
import io.cascadefarm.common.port.Renderer;
import java.util.List;

/**
 * FOR TESTS ONLY (the poison-job scenario): a {@link Renderer} decorator that fails, with a
 * retryable {@link RenderException} coded {@code injected_fault}, every call containing a job whose
 * prompt contains {@value #MARKER}. The worker then renders the other jobs of that batch alone, so
 * only the poison job uses up its attempts. Enabled by {@code farm.worker.fault-injection=true}
 * (default false).
 */
public final class PoisonRenderer implements Renderer {
  public static final String MARKER = "__poison__";
  private final Renderer delegate;

  public PoisonRenderer(Renderer delegate) {
    this.delegate = delegate;
  }

  @Override
  public List<List<RenderedImage>> render(List<RenderTask> tasks, RenderListener listener) {
    for (RenderTask t : tasks) {
      String prompt = t.params().prompt();
      if (prompt != null && prompt.contains(MARKER)) {
        throw new RenderException(
            "injected_fault",
            "fault injection: job "
                + t.jobId()
                + " is a poison job (prompt contains "
                + MARKER
                + ")",
            true,
            null);
      }
    }
    return delegate.render(tasks, listener);
  }

  @Override
  public String describeModel(String model) {
    return delegate.describeModel(model);
  }
}
