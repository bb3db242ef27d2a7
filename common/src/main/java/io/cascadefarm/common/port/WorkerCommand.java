package io.cascadefarm.common.port;

/**
 * The operator's side of a worker's registry row, as a heartbeat reads it back: {@code hold} is
 * {@code drain} while the worker is to stay out of service; {@code releaseRequests} grows with each
 * release (which also clears an automatic quarantine).
 */
public record WorkerCommand(String hold, String holdReason, int releaseRequests) {
  public static final WorkerCommand NONE = new WorkerCommand(null, null, 0);

  public boolean drain() {
    return "drain".equals(hold);
  }
}
