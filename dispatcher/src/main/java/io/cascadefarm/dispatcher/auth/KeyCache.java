package io.cascadefarm.dispatcher.auth;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Remembers, for a short time, which tenant a key hash stands for, or that it stands for none
 * (unknown or revoked). At most {@value #MAX_ENTRIES} entries; when full it is emptied, so a flood
 * of random keys costs lookups but not memory.
 */
final class KeyCache {
  static final int MAX_ENTRIES = 10_000;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final long ttlNanos;
  private final LongSupplier nanos;

  /** What is known of a hash: {@code tenant} null means refused. */
  private record Entry(String tenant, long expiresAt) {}

  KeyCache(Duration ttl, LongSupplier nanos) {
    this.ttlNanos = ttl.toNanos();
    this.nanos = nanos;
  }

  /** Empty when nothing fresh is known; else the tenant, or an empty string for a refused key. */
  Optional<String> get(String hash) {
    Entry e = entries.get(hash);
    if (e == null) {
      return Optional.empty();
    }
    if (nanos.getAsLong() - e.expiresAt() >= 0) {
      entries.remove(hash, e);
      return Optional.empty();
    }
    return Optional.of(e.tenant() == null ? "" : e.tenant());
  }

  void put(String hash, String tenantOrNull) {
    if (ttlNanos <= 0) {
      return;
    }
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    entries.put(hash, new Entry(tenantOrNull, nanos.getAsLong() + ttlNanos));
  }
}
