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

  /**
   * Writes the content of {@code file} (for objects too large for one array, such as model
   * checkpoints). The default reads the file into memory; stores that can stream override it.
   */
  default void putFile(String key, java.nio.file.Path file, String contentType) {
    try {
      put(key, java.nio.file.Files.readAllBytes(file), contentType);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Copies object {@code key} into {@code file} (replaced); false when there is no such object. The
   * default goes through memory; stores that can stream override it.
   */
  default boolean getFile(String key, java.nio.file.Path file) {
    Optional<byte[]> bytes = get(key);
    if (bytes.isEmpty()) {
      return false;
    }
    try {
      java.nio.file.Files.write(file, bytes.get());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return true;
  }
}
