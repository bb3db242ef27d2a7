package io.cascadefarm.dispatcher.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Makes API key secrets and their at-rest form. A secret is {@code cf_} plus 32 random bytes in
 * unpadded base64url (43 characters); only its lowercase hex SHA-256 is stored.
 */
public final class ApiKeySecrets {
  public static final String PREFIX = "cf_";

  /** Longest token the API looks up; longer ones are refused without a lookup. */
  public static final int MAX_TOKEN_CHARS = 256;

  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeySecrets() {}

  public static String generate() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  public static String sha256Hex(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The token of an {@code Authorization: Bearer <token>} header, or null when the header is
   * missing, of another scheme, empty, too long or not visible ASCII.
   */
  public static String bearerToken(String header) {
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = header.substring(7).trim();
    if (token.isEmpty()
        || token.length() > MAX_TOKEN_CHARS
        || !token.chars().allMatch(c -> c > 32 && c < 127)) {
      return null;
    }
    return token;
  }
}
