package io.cascadefarm.common.port;

import java.time.Instant;
import java.util.UUID;

/**
 * A stored API key: which tenant it acts for, a human name, when it was made and (if so) revoked.
 * The secret itself is never stored, only its SHA-256.
 */
public record ApiKey(UUID id, String tenant, String name, Instant createdAt, Instant revokedAt) {

  public boolean revoked() {
    return revokedAt != null;
  }
}
