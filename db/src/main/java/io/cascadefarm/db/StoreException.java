package io.cascadefarm.db;

/** A job-store operation failed for a reason other than unreachability (a bug or bad data). */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
