package io.cascadefarm.dispatcher.fakes;

import io.cascadefarm.common.port.ObjectStore;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory {@link ObjectStore}; presigned URLs point at a fake host. */
public final class MemoryObjectStore implements ObjectStore {
  public final ConcurrentHashMap<String, byte[]> objects = new ConcurrentHashMap<>();

  @Override
  public void put(String key, byte[] data, String contentType) {
    objects.put(key, data.clone());
  }

  @Override
  public Optional<byte[]> get(String key) {
    return Optional.ofNullable(objects.get(key));
  }

  @Override
  public boolean exists(String key) {
    return objects.containsKey(key);
  }

  @Override
  public URI presignGet(String key, Duration ttl) {
    return URI.create("http://objects.test/farm/" + key + "?ttl=" + ttl.toSeconds());
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
