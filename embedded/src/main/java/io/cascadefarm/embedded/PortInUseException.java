package io.cascadefarm.embedded;

/**
 * Thrown when a service is asked to listen on a fixed TCP port that something else already holds.
 */
public final class PortInUseException extends IllegalStateException {
  private final int port;

  PortInUseException(String service, int port) {
    super(
        service
            + " cannot listen on port "
            + port
            + ": the port is already in use (stop the other process, or choose another port; 0 picks"
            + " a free one)");
    this.port = port;
  }

  /** The port that was busy. */
  public int port() {
    return port;
  }
}
