package io.cascadefarm.dispatcher.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Sends raw bytes over a socket and reads the answer: for requests no HTTP client would send. */
public final class RawHttp {
  private RawHttp() {}

  /** The status line's code and the whole answer, or -1 when the server closed without one. */
  public record Reply(int status, String text) {
    public String body() {
      int i = text.indexOf("\r\n\r\n");
      return i < 0 ? "" : text.substring(i + 4);
    }
  }

  public static Reply send(int port, byte[] request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(15_000);
      OutputStream out = s.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) > 0; ) {
          b.write(buf, 0, n);
          if (complete(b.toString(StandardCharsets.ISO_8859_1))) {
            break;
          }
        }
      } catch (IOException e) {
        // reset after the answer
      }
      String text = b.toString(StandardCharsets.UTF_8);
      if (!text.startsWith("HTTP/")) {
        return new Reply(-1, text);
      }
      return new Reply(Integer.parseInt(text.substring(9, 12)), text);
    }
  }

  public static Reply send(int port, String request) throws IOException {
    return send(port, request.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static boolean complete(String t) {
    int head = t.indexOf("\r\n\r\n");
    if (head < 0) {
      return false;
    }
    String h = t.substring(0, head).toLowerCase(java.util.Locale.ROOT);
    int cl = h.indexOf("content-length:");
    if (cl < 0) {
      return h.contains("transfer-encoding: chunked") ? t.endsWith("0\r\n\r\n") : true;
    }
    int eol = h.indexOf("\r\n", cl);
    int len = Integer.parseInt(h.substring(cl + 15, eol < 0 ? h.length() : eol).trim());
    return t.length() - head - 4 >= len;
  }
}
