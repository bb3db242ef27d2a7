package io.cascadefarm.worker.queue;

/**
 * The aging rule between the normal lane (the jobs topic) and the low lane: a low job competes as
 * if it had been published {@code agingMillis} later than it was. So a low job waits behind normal
 * jobs published up to {@code agingMillis} after it, and runs before any published later: however
 * many normal jobs keep arriving, it starts once the normal jobs published before its aged time are
 * done. Ties go to the normal job; unknown timestamps (-1) count as "now".
 */
final class LaneOrder {
  private LaneOrder() {}

  /** Whether the low lane's oldest job goes before the normal lane's oldest job. */
  static boolean lowFirst(long normalTimestamp, long lowTimestamp, long agingMillis) {
    long now = System.currentTimeMillis();
    long n = normalTimestamp < 0 ? now : normalTimestamp;
    long l = (lowTimestamp < 0 ? now : lowTimestamp) + agingMillis;
    return l < n;
  }
}
