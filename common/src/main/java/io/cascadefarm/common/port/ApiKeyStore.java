package io.cascadefarm.common.port;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * API keys at rest (PostgreSQL table {@code api_keys}). Only the lowercase hex SHA-256 of a secret
 * is handed to or kept by the store.
 */
public interface ApiKeyStore {

  /** Stores a new key for {@code tenant}; a duplicate hash is an IllegalArgumentException. */
  ApiKey createKey(String tenant, String name, String keySha256);

  /** Every key, revoked ones included, oldest first. */
  List<ApiKey> listKeys();

  /** Marks the key revoked; false if there is no such key or it was already revoked. */
  boolean revokeKey(UUID id);

  /** The key with this hash, revoked or not. */
  Optional<ApiKey> findKey(String keySha256);
}
