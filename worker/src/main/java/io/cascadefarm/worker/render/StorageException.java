package io.cascadefarm.worker.render;

/** The object store stayed unavailable for the whole in-place retry budget (retryable). */
public final class StorageException extends RuntimeException {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
