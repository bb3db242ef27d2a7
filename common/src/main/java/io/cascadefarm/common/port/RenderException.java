package io.cascadefarm.common.port;

/** A render that failed; {@code retryable} says whether another attempt may succeed. */
public final class RenderException extends RuntimeException {
  private final String code;
  private final boolean retryable;

  public RenderException(String code, String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.retryable = retryable;
  }

  public String code() {
    return code;
  }

  public boolean retryable() {
    return retryable;
  }
}
