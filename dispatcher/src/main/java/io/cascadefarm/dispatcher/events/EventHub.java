package io.cascadefarm.dispatcher.events;

import io.cascadefarm.common.topic.JobEventMessage;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fans events out to the subscribers of their job and of their batch. Tenancy: an event reaches
 * only subscriptions opened by the event's tenant (the subscription key includes the tenant).
 */
public final class EventHub {
  private final ConcurrentHashMap<String, Set<EventSubscriber>> subs = new ConcurrentHashMap<>();
  private final AtomicLong received = new AtomicLong();
  private final ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger> streams =
      new ConcurrentHashMap<>();

  /** Counts one more open stream of {@code tenant}; false (nothing counted) at {@code max}. */
  public boolean tryOpen(String tenant, int max) {
    java.util.concurrent.atomic.AtomicInteger n =
        streams.computeIfAbsent(tenant, t -> new java.util.concurrent.atomic.AtomicInteger());
    if (n.incrementAndGet() > max) {
      n.decrementAndGet();
      return false;
    }
    return true;
  }

  /** A stream counted by {@link #tryOpen} ended. */
  public void closed(String tenant) {
    streams.computeIfPresent(tenant, (t, n) -> n.decrementAndGet() <= 0 ? null : n);
  }

  public void subscribeJob(String tenant, UUID job, EventSubscriber s) {
    add("job:" + tenant + ":" + job, s);
  }

  public void subscribeBatch(String tenant, UUID batch, EventSubscriber s) {
    add("batch:" + tenant + ":" + batch, s);
  }

  public void unsubscribe(EventSubscriber s) {
    subs.values().forEach(set -> set.remove(s));
    subs.entrySet().removeIf(e -> e.getValue().isEmpty());
  }

  public void publish(JobEventMessage e) {
    received.incrementAndGet();
    if (e.jobId() != null) {
      send("job:" + e.tenant() + ":" + e.jobId(), e);
    }
    if (e.batchId() != null) {
      send("batch:" + e.tenant() + ":" + e.batchId(), e);
    }
  }

  public int subscriberCount() {
    return subs.values().stream().mapToInt(Set::size).sum();
  }

  public long received() {
    return received.get();
  }

  private void add(String key, EventSubscriber s) {
    subs.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(s);
  }

  private void send(String key, JobEventMessage e) {
    Set<EventSubscriber> set = subs.get(key);
    if (set != null) {
      set.forEach(s -> s.deliver(e));
    }
  }
}
