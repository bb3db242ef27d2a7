package io.cascadefarm.cascade.tools.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.nn.WeightBinder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Runs one {@link BenchCase}: binds random weights generated natively, runs one warm-up forward,
 * {@code repeat} timed forwards (each in its own sub-manager, closed right after), one forward
 * under the live-tensor sampler and one under the libtorch profiler.
 */
public final class NetBench {
  private NetBench() {}

  public static BenchResult run(BenchCase c, int repeat) {
    if (repeat < 1) {
      throw new IllegalArgumentException("--repeat must be >= 1, was " + repeat);
    }
    try (NDManager weights = NDManager.newBaseManager();
        NDManager work = NDManager.newBaseManager()) {
      long t0 = System.nanoTime();
      WeightBinder.bind(c.module(), new RandomWeightSource(c.module()), weights);
      long loadMillis = (System.nanoTime() - t0) / 1_000_000;
      ProcessMemory.resetPeak();
      long before = ProcessMemory.rss();
      forwardOnce(c, work);
      double[] millis = new double[repeat];
      long faults0 = ProcessMemory.minorFaults();
      for (int i = 0; i < repeat; i++) {
        millis[i] = forwardOnce(c, work);
      }
      long faults = (ProcessMemory.minorFaults() - faults0) / repeat;
      long held = ProcessMemory.rss() - before;
      int peakLive;
      int distinct;
      try (LiveTensorSampler sampler = LiveTensorSampler.start(work)) {
        forwardOnce(c, work);
        sampler.close();
        peakLive = sampler.peak();
        distinct = sampler.distinctSeen();
      }
      int liveAfter = LiveTensorSampler.liveCount(work);
      OpProfile profile = OpProfile.of(() -> forwardOnce(c, work));
      long peak = ProcessMemory.peakRss();
      Arrays.sort(millis);
      return new BenchResult(
          c,
          c.parameters(),
          loadMillis,
          millis[repeat / 2],
          millis[0],
          profile.ops(),
          profile.topLevelOps(),
          profile.allocatedBytes(),
          peakLive,
          distinct,
          liveAfter,
          peak,
          faults,
          held);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What {@link #time} measures: sorted wall milliseconds, faults and CPU time per forward. */
  public record Timing(double[] wallMillis, double faultsPerForward, double cpuMillisPerForward) {
    public double median() {
      return wallMillis[wallMillis.length / 2];
    }

    public double min() {
      return wallMillis[0];
    }
  }

  /**
   * Timing only (for comparisons across child processes): binds random weights, one warm-up
   * forward, then {@code repeat} timed forwards.
   */
  public static Timing time(BenchCase c, int repeat) {
    if (repeat < 1) {
      throw new IllegalArgumentException("--repeat must be >= 1, was " + repeat);
    }
    try (NDManager weights = NDManager.newBaseManager();
        NDManager work = NDManager.newBaseManager()) {
      WeightBinder.bind(c.module(), new RandomWeightSource(c.module()), weights);
      forwardOnce(c, work);
      double[] wall = new double[repeat];
      long faults0 = ProcessMemory.minorFaults();
      long cpu0 = ProcessMemory.cpuMillis();
      for (int i = 0; i < repeat; i++) {
        wall[i] = forwardOnce(c, work);
      }
      double cpu = (ProcessMemory.cpuMillis() - cpu0) / (double) repeat;
      double faults = (ProcessMemory.minorFaults() - faults0) / (double) repeat;
      Arrays.sort(wall);
      return new Timing(wall, faults, cpu);
    }
  }

  /** Binds random weights, one warm-up forward, then one forward under the profiler by op. */
  public static java.util.List<OpProfile.OpTime> opTimes(BenchCase c) throws IOException {
    try (NDManager weights = NDManager.newBaseManager();
        NDManager work = NDManager.newBaseManager()) {
      WeightBinder.bind(c.module(), new RandomWeightSource(c.module()), weights);
      forwardOnce(c, work);
      return OpProfile.timeByOp(() -> forwardOnce(c, work));
    }
  }

  /** One forward in a sub-manager that is closed afterwards; returns milliseconds. */
  static double forwardOnce(BenchCase c, NDManager work) {
    try (NDManager sub = work.newSubManager()) {
      long t0 = System.nanoTime();
      NDArray out = c.forward().apply(sub);
      out.getShape();
      return (System.nanoTime() - t0) / 1e6;
    }
  }
}
