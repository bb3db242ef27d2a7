package io.cascadefarm.common.config;

import java.time.Duration;
import java.util.Locale;

/**
 * Parses human durations: ISO-8601 ({@code PT30S}) or {@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 1h}.
 */
public final class Durations {
  private Durations() {}

  public static Duration parse(String text) {
    String v = text.trim().toLowerCase(Locale.ROOT);
    if (v.startsWith("pt") || v.startsWith("p")) {
      return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
    }
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      switch (v.charAt(v.length() - 1)) {
        case 's':
          return Duration.ofSeconds(n);
        case 'm':
          return Duration.ofMinutes(n);
        case 'h':
          return Duration.ofHours(n);
        default:
          break;
      }
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      // fall through to the error below
    }
    throw new IllegalArgumentException(
        "'" + text + "' is not a duration (use e.g. 500ms, 30s, 5m, 1h or PT30S)");
  }
}
