package io.cascadefarm.cascade.tools.bench;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs libtorch work on a fresh thread instead of the JVM's main thread. Measured on the 2-core
 * shared machine (load average 15-20, docs/performance.md): the same tiny Stage C forward took
 * 1-2.5 s on the main thread and 10-35 ms on a new thread; with {@code OMP_WAIT_POLICY=PASSIVE}
 * both took 20-50 ms, which points at OpenMP spin-waiting of the main thread's team under CPU
 * oversubscription. Workers already render on their own threads; CLI commands use this.
 */
public final class ComputeThread {
  private ComputeThread() {}

  /** Runs {@code body} on a new thread named {@code name}, waits, rethrows its exception. */
  public static <T> T call(String name, Callable<T> body) throws Exception {
    FutureTask<T> task = new FutureTask<>(body);
    Thread t = new Thread(task, name);
    t.start();
    try {
      return task.get();
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof Exception ex) {
        throw ex;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw e;
    } catch (InterruptedException e) {
      t.interrupt();
      Thread.currentThread().interrupt();
      throw e;
    }
  }
}
