package io.cascadefarm.codec.image;

/**
 * An image refused before or while decoding. {@link #reason()} says why, so that an HTTP API can
 * answer 415 (not an accepted format) or 400 (too large, malformed), and a worker can fail the job
 * as invalid input. The message names no field: callers prefix the field they read.
 */
public final class ImageRejectedException extends IllegalArgumentException {
  /** Why an image was refused. */
  public enum Reason {
    /** Not PNG, JPEG or WebP. */
    UNSUPPORTED,
    /** The header declares more pixels, a longer side or more decoded bytes than allowed. */
    TOO_LARGE,
    /** Unreadable: truncated, corrupt or inconsistent. */
    MALFORMED,
    /** Acceptable, but the process is decoding too much at once: retry later. */
    BUSY
  }

  private final Reason reason;

  public ImageRejectedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
