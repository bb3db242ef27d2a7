package io.cascadefarm.dispatcher.webhook;

import io.cascadefarm.common.port.WebhookStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks signature: {@code v1,} + base64 of HMAC-SHA256 over {@code
 * "<webhook-id>.<webhook-timestamp>.<body>"}, keyed with the base64-decoded part of the tenant's
 * {@code whsec_} secret. For 24 h after a rotation the header carries the signatures of the new and
 * the previous secret, space-separated, so receivers verifying with either accept it.
 */
public final class WebhookSigner {
  /** How long the previous secret still signs after a rotation. */
  public static final Duration OVERLAP = Duration.ofHours(24);

  private static final SecureRandom RANDOM = new SecureRandom();

  private WebhookSigner() {}

  /** A fresh secret: {@code whsec_} + base64 of 32 random bytes. */
  public static String newSecret() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return "whsec_" + Base64.getEncoder().encodeToString(key);
  }

  /** One {@code v1,<base64>} signature of {@code id.timestamp.body} with {@code secret}. */
  public static String sign(String secret, String id, long timestamp, byte[] body) {
    String b64 = secret.startsWith("whsec_") ? secret.substring(6) : secret;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(b64), "HmacSHA256"));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  /** The {@code webhook-signature} header value with the tenant's current (and recent) secret. */
  public static String header(
      WebhookStore.Secret s, String id, long timestamp, byte[] body, Instant now) {
    String sig = sign(s.secret(), id, timestamp, body);
    if (s.previous() != null
        && s.rotatedAt() != null
        && now.isBefore(s.rotatedAt().plus(OVERLAP))) {
      sig += " " + sign(s.previous(), id, timestamp, body);
    }
    return sig;
  }
}
