package io.cascadefarm.worker.train;

/** A training attempt that cannot succeed as asked (not retryable): bad dataset, taken name. */
final class TrainingFailure extends RuntimeException {
  private final String code;

  TrainingFailure(String code, String message) {
    super(message);
    this.code = code;
  }

  String code() {
    return code;
  }
}
