package io.cascadefarm.common.port;

/** The idempotency key was used before with a different request body (HTTP 409). */
public final class IdempotencyConflictException extends RuntimeException {
  public IdempotencyConflictException(String key) {
    super("Idempotency-Key '" + key + "' was already used with a different request body");
  }
}
