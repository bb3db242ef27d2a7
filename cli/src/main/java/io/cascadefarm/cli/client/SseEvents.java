package io.cascadefarm.cli.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a Server-Sent-Events stream: {@code event:} and {@code data:} lines up to a blank line make
 * one event; comments (keep-alives) are skipped.
 */
final class SseEvents {
  /** One event: its type ({@code message} when unnamed) and its data. */
  record Event(String type, String data) {}

  /** What to do with each event; returning false ends the stream. */
  interface Handler {
    boolean on(Event e) throws IOException;
  }

  private SseEvents() {}

  /** Reads events until the handler returns false or the stream ends. */
  static void read(InputStream in, Handler handler) throws IOException {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String type = "message";
      StringBuilder data = new StringBuilder();
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.isEmpty()) {
          if (data.length() > 0 && !handler.on(new Event(type, data.toString()))) {
            return;
          }
          type = "message";
          data.setLength(0);
        } else if (line.startsWith("event:")) {
          type = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          if (data.length() > 0) {
            data.append('\n');
          }
          data.append(line.substring(5).stripLeading());
        }
      }
    }
  }
}
