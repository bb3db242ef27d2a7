package io.cascadefarm.worker.render;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code farm.worker.render-timeout} of one render call. Exactly one of two things happens: the
 * render thread calls {@link #finishedInTime()} first (true: it keeps the results), or the deadline
 * passes first and {@code onExpiry} runs on the scheduler's thread (then {@link #finishedInTime()}
 * waits for {@code onExpiry} to end, runs {@code onLateReturn} and answers false: the results are
 * discarded). Expiry does not depend on the render thread ever returning, so a render stuck in
 * native code still gives its jobs back.
 */
public final class RenderDeadline {
  private static final Logger LOG = LoggerFactory.getLogger(RenderDeadline.class);
  private final AtomicBoolean settled = new AtomicBoolean();
  private final ScheduledFuture<?> task;
  private final Runnable onLateReturn;
  private volatile boolean returned;

  private RenderDeadline(
      ScheduledExecutorService scheduler,
      Duration timeout,
      Runnable onExpiry,
      Runnable onLateReturn) {
    this.onLateReturn = onLateReturn;
    this.task =
        scheduler.schedule(
            () -> {
              if (settled.compareAndSet(false, true)) {
                onExpiry.run();
              }
            },
            Math.max(1, timeout.toNanos()),
            TimeUnit.NANOSECONDS);
  }

  private RenderDeadline() {
    this.task = null;
    this.onLateReturn = () -> {};
  }

  /**
   * A deadline {@code timeout} from now ({@link #none()} when it is zero). {@code onExpiry} runs on
   * the scheduler if the deadline wins; {@code onLateReturn} runs when the render returns after it.
   */
  public static RenderDeadline start(
      ScheduledExecutorService scheduler,
      Duration timeout,
      Runnable onExpiry,
      Runnable onLateReturn) {
    return timeout.isZero()
        ? none()
        : new RenderDeadline(scheduler, timeout, onExpiry, onLateReturn);
  }

  /** No deadline: {@link #finishedInTime()} is always true. */
  public static RenderDeadline none() {
    return new RenderDeadline();
  }

  /** Called by the render thread when the call returned: true unless the deadline won. */
  public boolean finishedInTime() {
    returned = true;
    if (task == null) {
      return true;
    }
    if (settled.compareAndSet(false, true)) {
      task.cancel(false);
      return true;
    }
    awaitExpiry();
    onLateReturn.run();
    return false;
  }

  /** Whether the render call returned ({@link #finishedInTime()} was called). */
  public boolean returned() {
    return returned;
  }

  private void awaitExpiry() {
    try {
      task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      LOG.warn("render timeout handling failed: {}", e.getCause().toString());
    } catch (java.util.concurrent.CancellationException e) {
      // the scheduler was shut down (worker closing): nothing left to wait for
    }
  }
}
