package io.cascadefarm.common.port;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Blob storage for uploads and results (S3 or MinIO in production). Keys are bucket-relative. */
public interface ObjectStore {

  /** Writes (or overwrites: keys are deterministic, so a rewrite is idempotent). */
  void put(String key, byte[] data, String contentType);

  Optional<byte[]> get(String key);

  boolean exists(String key);

  /** A time-limited URL anyone can GET. */
  URI presignGet(String key, Duration ttl);

  /** Keys under a prefix. */
  List<String> list(String prefix);

  void delete(String key);
}
