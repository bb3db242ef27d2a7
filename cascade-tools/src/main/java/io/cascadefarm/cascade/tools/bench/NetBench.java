package io.cascadefarm.cascade.tools.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.net.common.BlockScripts;
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

  /**
   * One case with its blocks run op-by-op and as TorchScript calls ({@code BlockScripts}), the
   * forwards alternating (order flipped each round) on the same weights: medians, CPU time per
   * forward, the native calls the Java code issued per forward (profiler's top-level ops, one
   * profiled forward each) and scripted block calls per forward.
   */
  public record BlocksComparison(
      Timing ops, Timing script, int opsTopLevel, int scriptTopLevel, long scriptBlockCalls) {}

  /** Runs {@link BlocksComparison} for {@code c}; restores the process's block mode afterwards. */
  public static BlocksComparison compareBlocks(BenchCase c, int repeat) throws IOException {
    BlockScripts.Mode before = BlockScripts.mode();
    try (NDManager weights = NDManager.newBaseManager();
        NDManager work = NDManager.newBaseManager()) {
      WeightBinder.bind(c.module(), new RandomWeightSource(c.module()), weights);
      BlockScripts.Mode[] modes = {BlockScripts.Mode.OPS, BlockScripts.Mode.SCRIPT};
      double[][] wall = new double[2][repeat];
      long[] cpu = new long[2];
      for (int m = 0; m < 2; m++) {
        BlockScripts.mode(modes[m]);
        forwardOnce(c, work);
      }
      for (int i = 0; i < repeat; i++) {
        for (int k = 0; k < 2; k++) {
          int m = (i + k) % 2;
          BlockScripts.mode(modes[m]);
          long cpu0 = ProcessMemory.cpuMillis();
          wall[m][i] = forwardOnce(c, work);
          cpu[m] += ProcessMemory.cpuMillis() - cpu0;
        }
      }
      int[] topLevel = new int[2];
      long calls = 0;
      for (int m = 0; m < 2; m++) {
        BlockScripts.mode(modes[m]);
        long calls0 = BlockScripts.calls();
        topLevel[m] = OpProfile.of(() -> forwardOnce(c, work)).topLevelOps();
        calls = BlockScripts.calls() - calls0;
      }
      Arrays.sort(wall[0]);
      Arrays.sort(wall[1]);
      return new BlocksComparison(
          new Timing(wall[0], 0, cpu[0] / (double) repeat),
          new Timing(wall[1], 0, cpu[1] / (double) repeat),
          topLevel[0],
          topLevel[1],
          calls);
    } finally {
      BlockScripts.mode(before);
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
