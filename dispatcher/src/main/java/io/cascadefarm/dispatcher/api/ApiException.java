package io.cascadefarm.dispatcher.api;

import java.util.List;

/**
 * A request the API refuses, with the HTTP status, a stable error code and, for validation errors,
 * every bad field. {@code retryAfterSeconds} > 0 adds a Retry-After header.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final List<FieldError> fields;
  private final int retryAfterSeconds;

  public ApiException(
      int status, String code, String message, List<FieldError> fields, int retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.fields = List.copyOf(fields);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static ApiException invalid(String message, List<FieldError> fields) {
    return new ApiException(400, "invalid_request", message, fields, 0);
  }

  public static ApiException invalidField(String field, String message) {
    return invalid(field + ": " + message, List.of(new FieldError(field, message)));
  }

  public static ApiException notFound(String field, String message) {
    return new ApiException(404, "not_found", message, List.of(new FieldError(field, message)), 0);
  }

  public static ApiException conflict(String field, String message) {
    return new ApiException(409, "conflict", message, List.of(new FieldError(field, message)), 0);
  }

  public static ApiException unavailable(String message, int retryAfterSeconds) {
    return new ApiException(
        503,
        "store_unavailable",
        message,
        List.of(new FieldError("store", message)),
        retryAfterSeconds);
  }

  /** 503: the object store (S3) failed; {@code fieldMessage} says what could not be done. */
  public static ApiException objectStoreUnavailable(
      String field, String fieldMessage, int retryAfterSeconds) {
    return new ApiException(
        503,
        "object_store_unavailable",
        "the object store is unavailable; retry later",
        List.of(new FieldError(field, fieldMessage)),
        retryAfterSeconds);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public List<FieldError> fields() {
    return fields;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
