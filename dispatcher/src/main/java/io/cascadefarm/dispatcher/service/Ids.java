package io.cascadefarm.dispatcher.service;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time-ordered UUIDs (version 7, RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids of
 * one batch sort in submit order, which keeps keyset pages in submit order and index inserts local.
 * A counter in the random part keeps ids from one millisecond strictly increasing per process.
 */
public final class Ids {
  private static final AtomicLong LAST = new AtomicLong();
  private static final long SEED = new SecureRandom().nextLong();

  private Ids() {}

  public static UUID next() {
    long now = System.currentTimeMillis();
    long seq = LAST.updateAndGet(prev -> Math.max(prev + 1, now << 12));
    long millis = seq >>> 12;
    long counter = seq & 0xFFF;
    long msb = (millis << 16) | 0x7000L | counter;
    long lsb =
        (ThreadLocalRandom.current().nextLong() ^ SEED) & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }

  /** Parses a path/query id; null when it is not a UUID (the caller answers 404 or 400). */
  public static UUID parse(String text) {
    if (text == null || text.length() != 36) {
      return null;
    }
    try {
      UUID u = UUID.fromString(text);
      return u.toString().equalsIgnoreCase(text) ? u : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
