package io.cascadefarm.cli.hub;

/** A hub or download failure with a message that says what to do about it. */
public class HubException extends RuntimeException {
  /** HTTP status, or 0 when the failure is not an HTTP answer. */
  private final int status;

  public HubException(String message) {
    this(message, 0, null);
  }

  public HubException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
