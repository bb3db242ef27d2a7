package io.cascadefarm.dispatcher.service;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Batch keys of jobs this dispatcher just accepted, so the outbox relay can publish them without
 * reading each job back. Bounded: past {@link #MAX} entries new jobs are not cached and the relay
 * falls back to the store. Entries are dropped once published.
 */
public final class BatchKeyCache {
  public static final int MAX = 500_000;
  private final ConcurrentHashMap<UUID, String> keys = new ConcurrentHashMap<>();

  public void put(UUID job, String batchKey) {
    if (keys.size() < MAX) {
      keys.put(job, batchKey);
    }
  }

  public String get(UUID job) {
    return keys.get(job);
  }

  public void remove(UUID job) {
    keys.remove(job);
  }

  public int size() {
    return keys.size();
  }
}
