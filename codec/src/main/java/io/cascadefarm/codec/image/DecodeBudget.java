package io.cascadefarm.codec.image;

import io.cascadefarm.codec.image.ImageRejectedException.Reason;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the bytes that concurrent decodes of one process may hold at once: each decode reserves
 * its header's {@link ImageHeader#decodeBytes()} (counted in KiB) before its decoder runs and gives
 * them back when done. A decode that cannot reserve within the wait is refused as busy, so a burst
 * of large images waits or is refused instead of exhausting the heap.
 */
public final class DecodeBudget {
  private final Semaphore kib;
  private final long totalKib;
  private final long waitMillis;

  /**
   * @param totalBytes bytes all concurrent decodes may hold together
   * @param waitMillis how long a decode waits for room before it is refused
   */
  public DecodeBudget(long totalBytes, long waitMillis) {
    this.totalKib = Math.max(1, Math.min(Integer.MAX_VALUE, totalBytes >> 10));
    this.kib = new Semaphore((int) totalKib, true);
    this.waitMillis = waitMillis;
  }

  /** A quarter of the maximum heap, at least 64 MiB: room for the largest image plus others. */
  public static DecodeBudget ofHeap() {
    long quarter = Runtime.getRuntime().maxMemory() / 4;
    return new DecodeBudget(Math.max(64L << 20, quarter), 10_000);
  }

  /** Unbounded (tests, the CLI decoding one local file). */
  public static DecodeBudget unlimited() {
    return new DecodeBudget(Long.MAX_VALUE, 0);
  }

  /** Total budget in bytes. */
  public long totalBytes() {
    return totalKib << 10;
  }

  /** Bytes currently reserved by running decodes. */
  public long reservedBytes() {
    return (totalKib - kib.availablePermits()) << 10;
  }

  /** Reserves {@code bytes}; the returned handle gives them back. */
  Reservation reserve(long bytes) {
    if (bytes > totalBytes()) {
      throw new ImageRejectedException(
          Reason.TOO_LARGE,
          "needs "
              + bytes
              + " bytes to decode, more than this process's decode budget of "
              + totalBytes());
    }
    int permits = (int) Math.max(1, (bytes + 1023) >> 10);
    boolean ok;
    try {
      ok = kib.tryAcquire(permits, waitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ok = false;
    }
    if (!ok) {
      throw new ImageRejectedException(
          Reason.BUSY, "cannot be decoded now: other images are being decoded; retry shortly");
    }
    return () -> kib.release(permits);
  }

  /** Reserved decode memory; close to give it back. */
  interface Reservation extends AutoCloseable {
    @Override
    void close();
  }
}
