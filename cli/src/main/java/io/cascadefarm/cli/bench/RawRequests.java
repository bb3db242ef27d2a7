package io.cascadefarm.cli.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Raw HTTP/1.1 over a socket: any bytes, any method, any header, including broken ones. */
final class RawRequests {
  private final String host;
  private final int port;

  RawRequests(URI base) {
    this.host = base.getHost();
    this.port = base.getPort() < 0 ? 80 : base.getPort();
  }

  /** A request with {@code Host}, {@code Connection: close}, extra headers and a body. */
  byte[] build(String method, String path, byte[] body, String... headers) {
    StringBuilder h = new StringBuilder();
    h.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    h.append("Host: ").append(host).append(':').append(port).append("\r\n");
    h.append("Connection: close\r\n");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      h.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    if (body != null) {
      h.append("Content-Length: ").append(body.length).append("\r\n");
    }
    h.append("\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  /** The answer's status and head of its body; status 0 when the server closed without one. */
  record Answer(int status, String text) {}

  Answer send(byte[] request, int readTimeoutMs) {
    try (Socket s = new Socket(host, port)) {
      s.setSoTimeout(readTimeoutMs);
      OutputStream out = s.getOutputStream();
      try {
        for (int off = 0; off < request.length; off += 1 << 20) {
          out.write(request, off, Math.min(1 << 20, request.length - off));
        }
        out.flush();
      } catch (IOException e) {
        // the server may answer (413) and close before the body is sent: read what it said
      }
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[16384];
      try {
        for (int n; (n = in.read(buf)) > 0 && got.size() < 1 << 20; ) {
          got.write(buf, 0, n);
        }
      } catch (SocketTimeoutException e) {
        // a stream (SSE) or a slow answer: what arrived is enough
      } catch (IOException e) {
        // reset after the answer
      }
      String text = got.toString(StandardCharsets.UTF_8);
      if (!text.startsWith("HTTP/") || text.length() < 12) {
        return new Answer(0, text);
      }
      return new Answer(Integer.parseInt(text.substring(9, 12)), text);
    } catch (IOException e) {
      return new Answer(0, e.toString());
    }
  }
}
