package io.cascadefarm.cli.farm;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Fails early, naming the flag, when a fixed port is already taken. */
final class PortCheck {
  private PortCheck() {}

  static void requireFree(int port, String what) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(port), 1);
    } catch (IOException e) {
      throw new IllegalStateException(
          "port "
              + port
              + " for "
              + what
              + " is already in use: stop the other process or pick another port",
          e);
    }
  }
}
