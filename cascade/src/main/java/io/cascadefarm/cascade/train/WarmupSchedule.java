package io.cascadefarm.cascade.train;

/**
 * {@code GradualWarmupScheduler(optimizer, multiplier=1, total_epoch=W)} as the official trainers
 * step it: created at {@code last_epoch = 0} and stepped after each update, so update {@code k}
 * (1-based) runs at {@code lr * min(1, (k - 1) / W)} — the first update has learning rate 0 (AdamW
 * still moves its moments). {@code W = 0} (the official code would divide by zero) means no
 * warm-up.
 */
public record WarmupSchedule(double lr, int warmupUpdates) {

  public WarmupSchedule {
    if (!(lr > 0) || !Double.isFinite(lr)) {
      throw new IllegalArgumentException("lr must be positive, got " + lr);
    }
    if (warmupUpdates < 0) {
      throw new IllegalArgumentException("warmup_updates must be >= 0, got " + warmupUpdates);
    }
  }

  /** Learning rate of update {@code k} (1-based). */
  public double lrAt(long k) {
    long lastEpoch = k - 1;
    if (warmupUpdates == 0 || lastEpoch > warmupUpdates) {
      return lr;
    }
    return lr * ((double) lastEpoch / warmupUpdates);
  }
}
