package io.cascadefarm.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Loopback TCP port helpers: pick a free port, check that a fixed one is free, probe a listener.
 */
final class Ports {
  private Ports() {}

  /**
   * Asks the kernel for a currently free loopback port. Another process may still take it later.
   */
  static int pickFree() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("could not pick a free TCP port", e);
    }
  }

  /**
   * Returns {@code port} if positive (after checking it is free), otherwise a freshly picked one.
   */
  static int resolve(int port, String service) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(service + " port must be 0..65535 but was " + port);
    }
    if (port == 0) {
      return pickFree();
    }
    requireFree(port, service);
    return port;
  }

  /** Throws {@link PortInUseException} naming the service when {@code port} cannot be bound. */
  static void requireFree(int port, String service) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(service + " port must be 1..65535 but was " + port);
    }
    if (!isFree(port)) {
      throw new PortInUseException(service, port);
    }
  }

  static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** True if something accepts TCP connections on the loopback port. */
  static boolean isListening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
