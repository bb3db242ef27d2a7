package io.cascadefarm.db;

/**
 * PostgreSQL could not be reached, or the connection broke mid-call (restart, failover, pool
 * exhausted). Nothing was committed unless the server committed before the connection dropped, and
 * every store write is safe to repeat. HTTP layers map it to 503 with {@code Retry-After}.
 */
public final class StoreUnavailableException extends StoreException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
