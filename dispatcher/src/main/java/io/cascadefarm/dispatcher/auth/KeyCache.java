package io.cascadefarm.dispatcher.auth;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Remembers, for a short time, which tenant a key hash stands for, or that it stands for none
 * (unknown or revoked). Live keys and refused ones are kept apart, each in its own
 * least-recently-used map of at most {@value #MAX_ENTRIES} entries: a flood of random keys evicts
 * only older refusals, never a key in use, and costs bounded memory.
 */
final class KeyCache {
  static final int MAX_ENTRIES = 10_000;
  private final Lru good = new Lru(MAX_ENTRIES);
  private final Lru refused = new Lru(MAX_ENTRIES);
  private final long ttlNanos;
  private final LongSupplier nanos;

  /** What is known of a hash: {@code principal} null means refused. */
  private record Entry(Principal principal, long expiresAt) {}

  private static final class Lru extends LinkedHashMap<String, Entry> {
    private final int max;

    Lru(int max) {
      super(256, 0.75f, true);
      this.max = max;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
      return size() > max;
    }
  }

  KeyCache(Duration ttl, LongSupplier nanos) {
    this.ttlNanos = ttl.toNanos();
    this.nanos = nanos;
  }

  /** Empty when nothing fresh is known; else the tenant, or an empty string for a refused key. */
  synchronized Optional<String> get(String hash) {
    return getPrincipal(hash).map(p -> p == REFUSED ? "" : p.tenant());
  }

  /** A refused key, as {@link #getPrincipal} answers it. */
  static final Principal REFUSED = new Principal("", java.util.Set.of());

  /** Empty when nothing fresh is known; else the principal, or {@link #REFUSED}. */
  synchronized Optional<Principal> getPrincipal(String hash) {
    Entry e = good.get(hash);
    Lru from = good;
    if (e == null) {
      e = refused.get(hash);
      from = refused;
    }
    if (e == null) {
      return Optional.empty();
    }
    if (nanos.getAsLong() - e.expiresAt() >= 0) {
      from.remove(hash);
      return Optional.empty();
    }
    return Optional.of(e.principal() == null ? REFUSED : e.principal());
  }

  synchronized void put(String hash, String tenantOrNull) {
    put(
        hash,
        tenantOrNull == null
            ? null
            : new Principal(tenantOrNull, io.cascadefarm.common.port.Scopes.DEFAULT));
  }

  synchronized void put(String hash, Principal principalOrNull) {
    if (ttlNanos <= 0) {
      return;
    }
    Entry e = new Entry(principalOrNull, nanos.getAsLong() + ttlNanos);
    if (principalOrNull == null) {
      good.remove(hash);
      refused.put(hash, e);
    } else {
      refused.remove(hash);
      good.put(hash, e);
    }
  }

  synchronized int size() {
    return good.size() + refused.size();
  }
}
