package io.cascadefarm.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs a few blocking tasks on their own threads and waits for all of them. */
final class Parallel {
  private Parallel() {}

  /**
   * Runs every task, waits for all (even after a failure), then throws the first failure with the
   * others attached as suppressed exceptions.
   */
  static void runAll(String threadPrefix, List<Runnable> tasks) {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            tasks.size(),
            r -> {
              Thread t = new Thread(r, threadPrefix);
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> futures = new ArrayList<>();
      tasks.forEach(task -> futures.add(pool.submit(task)));
      RuntimeException failure = null;
      for (Future<?> f : futures) {
        failure = collect(f, failure);
      }
      if (failure != null) {
        throw failure;
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static RuntimeException collect(Future<?> future, RuntimeException failure) {
    try {
      future.get();
      return failure;
    } catch (ExecutionException e) {
      RuntimeException cause =
          e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
      if (failure == null) {
        return cause;
      }
      failure.addSuppressed(cause);
      return failure;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failure != null ? failure : new IllegalStateException("interrupted", e);
    }
  }
}
