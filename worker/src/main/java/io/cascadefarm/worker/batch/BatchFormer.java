package io.cascadefarm.worker.batch;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Holds waiting items in arrival order and hands out groups of items with equal batch keys. A group
 * is ready when it has {@code batchSize} items, or when its oldest item has waited {@code
 * maxWaitNanos}. Groups are offered oldest first, so no key starves. Not thread-safe: owned by the
 * poll loop.
 */
public final class BatchFormer<T> {
  private record Waiting<T>(T item, String key, long arrivedNanos) {}

  private final int batchSize;
  private final long maxWaitNanos;
  private final Function<T, String> keyOf;
  private final LongSupplier nanoTime;
  private final List<Waiting<T>> waiting = new ArrayList<>();

  public BatchFormer(
      int batchSize, long maxWaitNanos, Function<T, String> keyOf, LongSupplier nanoTime) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("farm.worker.batch-size must be >= 1, got " + batchSize);
    }
    this.batchSize = batchSize;
    this.maxWaitNanos = Math.max(0, maxWaitNanos);
    this.keyOf = keyOf;
    this.nanoTime = nanoTime;
  }

  /** A new, empty former with the same batch size, wait, key and clock. */
  public BatchFormer<T> emptyCopy() {
    return new BatchFormer<>(batchSize, maxWaitNanos, keyOf, nanoTime);
  }

  public void add(T item) {
    waiting.add(new Waiting<>(item, keyOf.apply(item), nanoTime.getAsLong()));
  }

  public int size() {
    return waiting.size();
  }

  /** Removes and returns the oldest ready group, or an empty list if none is ready yet. */
  public List<T> takeReady() {
    long now = nanoTime.getAsLong();
    Map<String, List<Waiting<T>>> byKey = new LinkedHashMap<>();
    for (Waiting<T> w : waiting) {
      byKey.computeIfAbsent(w.key(), k -> new ArrayList<>()).add(w);
    }
    for (List<Waiting<T>> group : byKey.values()) {
      boolean full = group.size() >= batchSize;
      boolean aged = now - group.get(0).arrivedNanos() >= maxWaitNanos;
      if (full || aged) {
        List<Waiting<T>> taken = group.subList(0, Math.min(batchSize, group.size()));
        waiting.removeAll(taken);
        return taken.stream().map(Waiting::item).toList();
      }
    }
    return List.of();
  }

  /** The item that has waited longest, or null when none waits. */
  public T oldest() {
    return waiting.isEmpty() ? null : waiting.get(0).item();
  }

  /** Removes and returns every waiting item matching {@code test} (e.g. of revoked partitions). */
  public List<T> removeIf(Predicate<T> test) {
    List<T> removed = new ArrayList<>();
    for (Iterator<Waiting<T>> it = waiting.iterator(); it.hasNext(); ) {
      Waiting<T> w = it.next();
      if (test.test(w.item())) {
        removed.add(w.item());
        it.remove();
      }
    }
    return removed;
  }
}
