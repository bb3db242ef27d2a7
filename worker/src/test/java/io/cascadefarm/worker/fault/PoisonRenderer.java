package io.cascadefarm.worker.fault;

import io.cascadefarm.common.port.RenderException;
import io.cascadefarm.common.port.RenderListener;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.common.port.RenderedImage;
import io.cascadefarm.common.port.Renderer;
import java.util.List;

/**
 * The fault-injection scenarios' {@link Renderer} decorator (test code: shipped in the worker's
 * test-jar, never in the worker) that fails, with a retryable {@link RenderException} coded {@code
 * injected_fault}, every call containing a job whose prompt contains {@value #MARKER}. The worker
 * then renders the other jobs of that batch alone, so only the poison job uses up its attempts. A
 * call containing a prompt with {@value #SLOW_MARKER} first waits {@link #SLOW_CALL}, so a scenario
 * can reliably catch a job while it renders (a tiny render is over in a fraction of a second). A
 * test plugs it in around its renderer, e.g. through {@code WorkerMain.run(args, config -> new
 * PoisonRenderer(...))}; closing it closes the delegate.
 */
public final class PoisonRenderer implements Renderer, AutoCloseable {
  public static final String MARKER = "__poison__";
  public static final String SLOW_MARKER = "__slow__";
  public static final java.time.Duration SLOW_CALL = java.time.Duration.ofSeconds(3);
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
    if (tasks.stream().anyMatch(t -> contains(t, SLOW_MARKER))) {
      try {
        Thread.sleep(SLOW_CALL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return delegate.render(tasks, listener);
  }

  private static boolean contains(RenderTask t, String marker) {
    String prompt = t.params().prompt();
    return prompt != null && prompt.contains(marker);
  }

  @Override
  public String describeModel(String model) {
    return delegate.describeModel(model);
  }

  @Override
  public io.cascadefarm.common.port.NumericsCheck checkNumerics() {
    return delegate.checkNumerics();
  }

  @Override
  public void close() throws Exception {
    if (delegate instanceof AutoCloseable c) {
      c.close();
    }
  }

  @Override
  public Renderer unwrapped() {
    return delegate.unwrapped();
  }
}
