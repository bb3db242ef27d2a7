package io.cascadefarm.worker.render;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a rendered group is finished (results uploaded, jobs completed, leases given up): on a
 * thread of its own, so that the next group's claim, input loading and render overlap the previous
 * group's I/O. At most one group finishes at a time: handing in the next waits for the previous,
 * which bounds the memory of rendered images held to two groups. {@link #direct()} finishes on the
 * caller's thread (unit tests that read the store right after a group).
 */
public final class Finisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Finisher.class);
  private final ExecutorService thread;
  private Future<?> pending = CompletableFuture.completedFuture(null);

  private Finisher(ExecutorService thread) {
    this.thread = thread;
  }

  /** Finishes each group on the caller's thread, before {@link #submit} returns. */
  public static Finisher direct() {
    return new Finisher(null);
  }

  /** Finishes groups on one thread made by {@code threads}, overlapping the caller's next group. */
  public static Finisher onOwnThread(ThreadFactory threads) {
    return new Finisher(Executors.newSingleThreadExecutor(threads));
  }

  /** Waits for the previous group's finishing, then starts {@code work}'s. */
  public synchronized void submit(Runnable work) {
    awaitPending();
    if (thread == null) {
      work.run();
    } else {
      pending = thread.submit(work);
    }
  }

  /** Blocks until the group being finished, if any, is done. */
  public synchronized void awaitPending() {
    try {
      pending.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      LOG.warn("finishing a group failed", e.getCause());
    }
  }

  /** Finishes the pending group, then stops the thread. */
  @Override
  public void close() {
    awaitPending();
    if (thread != null) {
      thread.shutdown();
    }
  }
}
