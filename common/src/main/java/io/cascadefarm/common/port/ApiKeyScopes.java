package io.cascadefarm.common.port;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The scopes of API keys at rest (column {@code api_keys.scopes}); see {@link Scopes}. */
public interface ApiKeyScopes {

  /** The key's scopes; empty when there is no such key. */
  Optional<Set<String>> scopesOf(UUID keyId);

  /** Replaces the key's scopes; false when there is no such key. */
  boolean setScopes(UUID keyId, Set<String> scopes);

  /** Every key's scopes. */
  Map<UUID, Set<String>> allScopes();
}
