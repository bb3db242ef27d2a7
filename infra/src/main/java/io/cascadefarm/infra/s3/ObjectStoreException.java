package io.cascadefarm.infra.s3;

/** An object-store call failed for good (after retries, or a non-transient error). */
public final class ObjectStoreException extends RuntimeException {
  private final boolean transientFailure;

  public ObjectStoreException(String message, Throwable cause, boolean transientFailure) {
    super(message, cause);
    this.transientFailure = transientFailure;
  }

  /** True if the store was unreachable or overloaded (a later call may succeed). */
  public boolean isTransient() {
    return transientFailure;
  }
}
