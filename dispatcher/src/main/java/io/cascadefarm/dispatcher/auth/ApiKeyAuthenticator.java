package io.cascadefarm.dispatcher.auth;

import io.cascadefarm.common.port.ApiKey;
import io.cascadefarm.common.port.ApiKeyStore;
import io.cascadefarm.dispatcher.http.TenantResolver;
import io.cascadefarm.dispatcher.service.StoreGuard;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Resolves {@code Authorization: Bearer <key>} to the key's tenant. Lookups (found, unknown or
 * revoked alike) are cached for {@code farm.auth.key-cache-ttl} (default 30 s), so a revocation
 * takes effect within that time and a busy client costs no database round trip per request.
 */
public final class ApiKeyAuthenticator implements TenantResolver {
  private final ApiKeyStore keys;
  private final KeyCache cache;

  public ApiKeyAuthenticator(ApiKeyStore keys, Duration cacheTtl) {
    this(keys, cacheTtl, System::nanoTime);
  }

  ApiKeyAuthenticator(ApiKeyStore keys, Duration cacheTtl, LongSupplier nanos) {
    this.keys = keys;
    this.cache = new KeyCache(cacheTtl, nanos);
  }

  /**
   * What the cache knows of this header without any I/O: empty = a lookup is needed; else the
   * tenant, or an empty string when the request must be refused (no, malformed or bad key).
   */
  public Optional<String> cached(String authorization) {
    String token = ApiKeySecrets.bearerToken(authorization);
    if (token == null) {
      return Optional.of("");
    }
    return cache.get(ApiKeySecrets.sha256Hex(token));
  }

  /**
   * Looks the key up in the store (blocking) and caches the outcome; null when it is missing,
   * unknown or revoked. A store failure is a 503 {@link
   * io.cascadefarm.dispatcher.api.ApiException}.
   */
  public String load(String authorization) {
    String token = ApiKeySecrets.bearerToken(authorization);
    if (token == null) {
      return null;
    }
    String hash = ApiKeySecrets.sha256Hex(token);
    Optional<ApiKey> key = StoreGuard.call("API key lookup", () -> keys.findKey(hash));
    String tenant = key.filter(k -> !k.revoked()).map(ApiKey::tenant).orElse(null);
    cache.put(hash, tenant);
    return tenant;
  }

  /** Blocking resolution for callers outside the event loop. */
  @Override
  public String tenantOf(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    Optional<String> known = cached(header);
    if (known.isPresent()) {
      return known.get().isEmpty() ? null : known.get();
    }
    return load(header);
  }
}
