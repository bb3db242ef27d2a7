package io.cascadefarm.cascade.tools.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Samples, on a background thread every ~0.2 ms, how many NDArrays are alive under a manager
 * (recursively, through DJL's own bookkeeping {@link NDManager#getManagedArrays()}), and remembers
 * the peak and the number of distinct arrays seen. Only Java-side fields are read (uids), never
 * native data, so sampling cannot touch a tensor being freed. Short-lived arrays between samples
 * are missed: {@code distinctSeen} is a lower bound of arrays created.
 */
public final class LiveTensorSampler implements AutoCloseable {
  private final NDManager root;
  private final Thread thread;
  private final Set<String> seen = new HashSet<>();
  private volatile boolean running = true;
  private volatile int peak;

  private LiveTensorSampler(NDManager root) {
    this.root = root;
    this.thread = new Thread(this::loop, "live-tensor-sampler");
    thread.setDaemon(true);
  }

  /** Starts sampling {@code root}. */
  public static LiveTensorSampler start(NDManager root) {
    LiveTensorSampler s = new LiveTensorSampler(root);
    s.thread.start();
    return s;
  }

  /** Arrays alive under {@code root} right now. */
  public static int liveCount(NDManager root) {
    try {
      return root.getManagedArrays().size();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private void loop() {
    while (running) {
      try {
        List<NDArray> arrays = root.getManagedArrays();
        peak = Math.max(peak, arrays.size());
        for (NDArray a : arrays) {
          seen.add(a.getUid());
        }
      } catch (RuntimeException e) {
        // a manager closed while we walked it: skip this sample
      }
      try {
        Thread.sleep(0, 200_000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  public int peak() {
    return peak;
  }

  public int distinctSeen() {
    synchronized (seen) {
      return seen.size();
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
