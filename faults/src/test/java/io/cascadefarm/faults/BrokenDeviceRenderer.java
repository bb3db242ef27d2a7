package io.cascadefarm.faults;

import io.cascadefarm.common.port.NumericsCheck;
import io.cascadefarm.common.port.RenderException;
import io.cascadefarm.common.port.RenderListener;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.common.port.RenderedImage;
import io.cascadefarm.common.port.Renderer;
import java.util.List;

/**
 * TEST ONLY: a worker whose device broke after its start-up self-check passed (a GPU fallen off the
 * bus, a bad driver): every render fails with a retryable {@code device_fault}, whatever the job.
 * Other workers render the same jobs fine, which is what the quarantine rule looks for.
 */
final class BrokenDeviceRenderer implements Renderer {
  static final String CODE = "device_fault";
  private final Renderer delegate;

  BrokenDeviceRenderer(Renderer delegate) {
    this.delegate = delegate;
  }

  @Override
  public List<List<RenderedImage>> render(List<RenderTask> tasks, RenderListener listener) {
    throw new RenderException(
        CODE, "fault injection: this worker's device is broken (every render fails)", true, null);
  }

  @Override
  public NumericsCheck checkNumerics() {
    return delegate.checkNumerics();
  }

  @Override
  public String describeModel(String model) {
    return delegate.describeModel(model);
  }

  @Override
  public Renderer unwrapped() {
    return delegate.unwrapped();
  }
}
