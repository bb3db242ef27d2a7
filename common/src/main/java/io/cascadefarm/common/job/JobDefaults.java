package io.cascadefarm.common.job;

import io.cascadefarm.common.contract.JobContract;
import java.util.function.LongSupplier;

/**
 * Fills the defaults that {@link JobContract} declares for each field: those of the official Stable
 * Cascade code (Stage C 20 steps, cfg 4, shift 2; image-to-image {@code int(20 * strength)} steps
 * from t = strength, strength 0.8; ControlNet super-resolution cfg 1; Stage B 10 steps, cfg 1.1,
 * shift 1), size 1024x1024, one image, model {@code lite}, a random seed.
 */
public final class JobDefaults {
  private JobDefaults() {}

  /**
   * Returns {@code p} with every unset field filled; the seed comes from {@code seeds} if absent.
   */
  public static JobParams resolve(JobParams p, LongSupplier seeds) {
    return JobContract.resolve(p, seeds);
  }
}
