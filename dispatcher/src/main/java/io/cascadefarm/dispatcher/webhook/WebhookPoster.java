package io.cascadefarm.dispatcher.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 POST to a checked {@link WebhookTargets.Target}: connects to the address the check
 * resolved (so the host cannot resolve elsewhere between check and send), TLS with SNI and host
 * name verification for https, {@code Connection: close}, and reads only the status line. Nothing
 * is followed: a 3xx is an answer like any other. The whole exchange must finish within {@code
 * timeout}.
 */
final class WebhookPoster {
  private WebhookPoster() {}

  /** The HTTP status of the answer; IOException when there was none (refused, timeout, TLS). */
  static int post(
      WebhookTargets.Target t, Map<String, String> headers, byte[] body, Duration timeout)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(t.address(), t.port()), millisLeft(deadline));
      socket.setSoTimeout(millisLeft(deadline));
      Socket s = socket;
      if (t.https()) {
        SSLSocket ssl =
            (SSLSocket)
                ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(socket, t.host(), t.port(), true);
        SSLParameters p = ssl.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        if (!Character.isDigit(t.host().charAt(0)) && !t.host().contains(":")) {
          p.setServerNames(List.of(new SNIHostName(t.host())));
        }
        ssl.setSSLParameters(p);
        ssl.startHandshake();
        s = ssl;
      }
      StringBuilder head = new StringBuilder();
      head.append("POST ").append(t.requestTarget()).append(" HTTP/1.1\r\n");
      head.append("Host: ").append(t.hostHeader()).append("\r\n");
      head.append("User-Agent: cascade-farm-webhooks/1\r\n");
      head.append("Content-Type: application/json\r\n");
      head.append("Content-Length: ").append(body.length).append("\r\n");
      head.append("Connection: close\r\n");
      headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      head.append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      s.setSoTimeout(millisLeft(deadline));
      return statusOf(readLine(s.getInputStream(), deadline, s));
    } finally {
      socket.close();
    }
  }

  private static int millisLeft(long deadline) throws IOException {
    long ms = (deadline - System.nanoTime()) / 1_000_000;
    if (ms <= 0) {
      throw new java.net.SocketTimeoutException("timed out");
    }
    return (int) Math.min(Integer.MAX_VALUE, ms);
  }

  private static String readLine(InputStream in, long deadline, Socket s) throws IOException {
    StringBuilder line = new StringBuilder();
    while (line.length() < 512) {
      s.setSoTimeout(millisLeft(deadline));
      int c = in.read();
      if (c < 0 || c == '\n') {
        break;
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  static int statusOf(String statusLine) throws IOException {
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("not an HTTP answer: " + statusLine);
    }
    try {
      return Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("bad HTTP status line: " + statusLine);
    }
  }
}
