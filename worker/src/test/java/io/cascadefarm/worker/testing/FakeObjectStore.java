package io.cascadefarm.worker.testing;

import io.cascadefarm.common.port.ObjectStore;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory {@link ObjectStore} that counts writes and can be "down" for the next n calls. */
public final class FakeObjectStore implements ObjectStore {
  private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
  private final AtomicInteger puts = new AtomicInteger();
  private final AtomicInteger failNext = new AtomicInteger();

  /** Runs at the start of every put (a test blocks uploads with it). */
  public volatile Runnable beforePut = () -> {};

  public void failNextCalls(int n) {
    failNext.set(n);
  }

  public int puts() {
    return puts.get();
  }

  private void maybeFail() {
    if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("S3 unavailable (injected)");
    }
  }

  @Override
  public void put(String key, byte[] data, String contentType) {
    beforePut.run();
    maybeFail();
    puts.incrementAndGet();
    objects.put(key, data.clone());
  }

  @Override
  public Optional<byte[]> get(String key) {
    maybeFail();
    return Optional.ofNullable(objects.get(key));
  }

  @Override
  public boolean exists(String key) {
    return objects.containsKey(key);
  }

  @Override
  public URI presignGet(String key, Duration ttl) {
    return URI.create("http://fake/" + key);
  }

  @Override
  public List<String> list(String prefix) {
    return objects.keySet().stream().filter(k -> k.startsWith(prefix)).sorted().toList();
  }

  @Override
  public void delete(String key) {
    objects.remove(key);
  }
}
