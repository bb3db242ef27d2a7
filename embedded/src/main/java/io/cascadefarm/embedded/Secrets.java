package io.cascadefarm.embedded;

import java.security.SecureRandom;
import java.util.Base64;

/** Random credentials: the embedded services have no fixed password to guess. */
public final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /** 24 random bytes, URL-safe base64 (32 characters, no padding). */
  public static String random() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
