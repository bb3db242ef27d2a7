package io.cascadefarm.cli.client;

/** The API answered with an error status; the message holds the status and the response body. */
public final class ApiException extends RuntimeException {
  private final int status;

  ApiException(int status, String method, String path, String body) {
    super(method + " " + path + " answered HTTP " + status + ": " + body.strip());
    this.status = status;
  }

  ApiException(String message, Throwable cause) {
    super(message, cause);
    this.status = -1;
  }

  /** The HTTP status, or -1 when the farm could not be reached. */
  public int status() {
    return status;
  }
}
