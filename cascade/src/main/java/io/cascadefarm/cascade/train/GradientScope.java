package io.cascadefarm.cascade.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import io.cascadefarm.cascade.nn.Autograd;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One forward/backward pass recorded by DJL's {@link GradientCollector} (libtorch autograd). DJL's
 * PyTorch engine allows one collector per process at a time, so scopes are serialised by a
 * process-wide lock: two training jobs in one JVM alternate their passes. While a scope is open,
 * {@link Autograd#isRecording()} is true on the calling thread (layers avoid kernels that cannot
 * carry gradients).
 */
public final class GradientScope implements AutoCloseable {
  private static final ReentrantLock LOCK = new ReentrantLock();

  /**
   * Tests only: run before every backward (e.g. a full GC, which frees the Java buffers of closed
   * arrays, so a graph that still referenced one would read freed memory).
   */
  static volatile Runnable beforeBackward;

  private final GradientCollector collector;
  private boolean closed;

  private GradientScope(GradientCollector collector) {
    this.collector = collector;
  }

  /** Opens a scope on the calling thread (waits while another thread holds one). */
  public static GradientScope open() {
    LOCK.lock();
    try {
      GradientCollector c = Engine.getEngine("PyTorch").newGradientCollector();
      Autograd.enter();
      return new GradientScope(c);
    } catch (RuntimeException | Error e) {
      LOCK.unlock();
      throw e;
    }
  }

  /** Back-propagates a scalar: gradients accumulate into every leaf that requires them. */
  public void backward(NDArray scalar) {
    Runnable hook = beforeBackward;
    if (hook != null) {
      hook.run();
    }
    collector.backward(scalar);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Autograd.exit();
      collector.close();
    } finally {
      LOCK.unlock();
    }
  }
}
