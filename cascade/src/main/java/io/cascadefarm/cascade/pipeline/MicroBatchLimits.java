package io.cascadefarm.cascade.pipeline;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import io.cascadefarm.cascade.model.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How large one sampler batch of a pipeline may be: at most {@code maxRows} rows (images x CFG
 * factor, see {@link BatchPlan#sampledRows()}) and at most {@code budgetBytes} of estimated
 * activation memory ({@link #estimatedBytes}). A compatible group bigger than that is rendered as
 * consecutive micro-batches of whole requests (each request's result does not depend on its batch).
 *
 * <p>The estimate is deliberately simple: activation bytes grow with rows x pixels. Measured on the
 * CPU (docs/performance.md): a Stage B lite forward at 1024x1024 (one row, fp32) holds about 1.8 GB
 * besides its weights, i.e. ~1,700 bytes per output pixel; Stage C is far smaller at the same size.
 * fp16/bf16 halve it (conservatively counted as 0.6).
 */
public record MicroBatchLimits(int maxRows, long budgetBytes) {
  /** Activation bytes per output pixel and sampler row in fp32 (Stage B, the largest stage). */
  public static final long BYTES_PER_PIXEL_ROW = 1_800;

  /** Default row cap: 16 rows (8 images with CFG). */
  public static final int DEFAULT_MAX_ROWS = 16;

  /** Share of free device memory a micro-batch may plan for (the rest: weights growth, caches). */
  public static final double BUDGET_SHARE = 0.6;

  public MicroBatchLimits {
    if (maxRows < 1 || budgetBytes < 1) {
      throw new IllegalArgumentException("maxRows and budgetBytes must be >= 1");
    }
  }

  /** No limit (one micro-batch per group). */
  public static MicroBatchLimits unlimited() {
    return new MicroBatchLimits(Integer.MAX_VALUE, Long.MAX_VALUE);
  }

  /**
   * The default for {@code device}: {@link #DEFAULT_MAX_ROWS} and {@link #BUDGET_SHARE} of the
   * device's free memory (CUDA: as the driver reports it when the limits are made; CPU: {@code
   * MemAvailable}); falls back to the row cap alone when the free memory cannot be read.
   */
  public static MicroBatchLimits forDevice(Device device) {
    long free = device.isGpu() ? gpuFree(device) : hostAvailable();
    long budget = free > 0 ? (long) (free * BUDGET_SHARE) : Long.MAX_VALUE;
    return new MicroBatchLimits(DEFAULT_MAX_ROWS, budget);
  }

  /** Estimated activation bytes of {@code plan}'s largest sampler batch at {@code precision}. */
  public static long estimatedBytes(int sampledRows, int width, int height, Precision precision) {
    double factor = precision == Precision.FP32 ? 1.0 : 0.6;
    return (long) (sampledRows * (double) width * height * BYTES_PER_PIXEL_ROW * factor);
  }

  /** Whether {@code plan} fits both limits (estimated at fp32, the conservative case). */
  boolean fits(BatchPlan plan) {
    GenerationRequest q = plan.first();
    return plan.sampledRows() <= maxRows
        && estimatedBytes(plan.sampledRows(), q.width(), q.height(), Precision.FP32) <= budgetBytes;
  }

  private static long gpuFree(Device device) {
    try {
      var usage = CudaUtils.getGpuMemory(device);
      return usage.getMax() - usage.getUsed();
    } catch (RuntimeException | LinkageError e) {
      return -1;
    }
  }

  private static long hostAvailable() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemAvailable:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }
}
