package io.cascadefarm.dispatcher.service;

import io.cascadefarm.common.port.JobListing;
import io.cascadefarm.dispatcher.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** Opaque keyset cursors: base64url of {@code <created_at micros>:<id>}. */
public final class Cursors {
  private Cursors() {}

  public static String encode(Instant createdAt, UUID id) {
    long micros = createdAt.getEpochSecond() * 1_000_000 + createdAt.getNano() / 1000;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((micros + ":" + id).getBytes(StandardCharsets.US_ASCII));
  }

  /** The cursor of {@code text}; null for null or empty; 400 naming {@code after} if invalid. */
  public static JobListing.Cursor decode(String text) {
    return decode("after", text);
  }

  /** The cursor of {@code text}; null for null or empty; 400 naming {@code field} if invalid. */
  public static JobListing.Cursor decode(String field, String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      String s = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
      int colon = s.indexOf(':');
      long micros = Long.parseLong(s.substring(0, colon));
      UUID id = Ids.parse(s.substring(colon + 1));
      if (id == null) {
        throw new IllegalArgumentException();
      }
      return new JobListing.Cursor(
          Instant.ofEpochSecond(
              Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000),
          id);
    } catch (RuntimeException e) {
      throw ApiException.invalidField(field, "must be the next cursor of a previous page");
    }
  }
}
