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
 * revoked alike) are cached for {@code farm.auth.key-cache-ttl} (default 30 s) in bounded LRU
 * caches ({@link KeyCache}), so a revocation takes effect within that time and a busy client costs
 * no database round trip per request. Lookups of uncached keys are rate limited ({@value
 * #LOOKUPS_PER_SECOND}/s, burst {@value #LOOKUP_BURST}): past it a request is refused with 429
 * instead of costing a query.
 */
public final class ApiKeyAuthenticator implements TenantResolver {
  private final ApiKeyStore keys;
  private final io.cascadefarm.common.port.ApiKeyScopes scopes; // null: every key has DEFAULT
  private final KeyCache cache;
  private final LongSupplier nanos;
  private final Object bucketLock = new Object();
  private double lookupTokens = LOOKUP_BURST;
  private long refilledAt;

  /**
   * Database lookups of keys not in the cache, per second and per dispatcher: a client sending a
   * new random token on every request is refused (429) past this rate instead of costing a query
   * each.
   */
  static final double LOOKUPS_PER_SECOND = 200;

  /** Lookups allowed at once before the rate applies. */
  static final double LOOKUP_BURST = 400;

  public ApiKeyAuthenticator(ApiKeyStore keys, Duration cacheTtl) {
    this(keys, cacheTtl, System::nanoTime);
  }

  /** Keys with their scopes read from {@code scopes} (null: every key holds submit and read). */
  public ApiKeyAuthenticator(
      ApiKeyStore keys, io.cascadefarm.common.port.ApiKeyScopes scopes, Duration cacheTtl) {
    this(keys, scopes, cacheTtl, System::nanoTime);
  }

  ApiKeyAuthenticator(ApiKeyStore keys, Duration cacheTtl, LongSupplier nanos) {
    this(keys, null, cacheTtl, nanos);
  }

  ApiKeyAuthenticator(
      ApiKeyStore keys,
      io.cascadefarm.common.port.ApiKeyScopes scopes,
      Duration cacheTtl,
      LongSupplier nanos) {
    this.keys = keys;
    this.scopes = scopes;
    this.cache = new KeyCache(cacheTtl, nanos);
    this.nanos = nanos;
    this.refilledAt = nanos.getAsLong();
  }

  /**
   * Takes one lookup from the token bucket of uncached-key lookups; false (and the request is to be
   * refused with 429) when it is empty.
   */
  public boolean tryLookup() {
    synchronized (bucketLock) {
      long now = nanos.getAsLong();
      lookupTokens =
          Math.min(LOOKUP_BURST, lookupTokens + (now - refilledAt) / 1e9 * LOOKUPS_PER_SECOND);
      refilledAt = now;
      if (lookupTokens < 1) {
        return false;
      }
      lookupTokens -= 1;
      return true;
    }
  }

  /** The 429 answered when {@link #tryLookup} refuses. */
  public static io.cascadefarm.dispatcher.api.ApiException tooManyLookups() {
    String m = "too many unknown API keys are being tried; retry shortly";
    return new io.cascadefarm.dispatcher.api.ApiException(
        429,
        "rate_limited",
        m,
        java.util.List.of(new io.cascadefarm.dispatcher.api.FieldError("Authorization", m)),
        1);
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
    Principal p = loadPrincipal(authorization);
    return p == null ? null : p.tenant();
  }

  /** As {@link #cached}, with the key's scopes: {@link KeyCache#REFUSED} for a refused key. */
  public Optional<Principal> cachedPrincipal(String authorization) {
    String token = ApiKeySecrets.bearerToken(authorization);
    if (token == null) {
      return Optional.of(KeyCache.REFUSED);
    }
    return cache.getPrincipal(ApiKeySecrets.sha256Hex(token));
  }

  /** Whether a principal from {@link #cachedPrincipal} stands for a refused key. */
  public static boolean refused(Principal p) {
    return p == null || p == KeyCache.REFUSED;
  }

  /** As {@link #load}, with the key's scopes; null when the key is refused. */
  public Principal loadPrincipal(String authorization) {
    String token = ApiKeySecrets.bearerToken(authorization);
    if (token == null) {
      return null;
    }
    String hash = ApiKeySecrets.sha256Hex(token);
    Optional<Principal> known = cache.getPrincipal(hash);
    if (known.isPresent()) {
      return refused(known.get()) ? null : known.get();
    }
    Optional<ApiKey> key = StoreGuard.call("API key lookup", () -> keys.findKey(hash));
    Principal p = key.filter(k -> !k.revoked()).map(this::principal).orElse(null);
    cache.put(hash, p);
    return p;
  }

  private Principal principal(ApiKey k) {
    if (scopes == null) {
      return new Principal(k.tenant(), io.cascadefarm.common.port.Scopes.DEFAULT);
    }
    java.util.Set<String> s =
        StoreGuard.call("API key scopes", () -> scopes.scopesOf(k.id()))
            .orElse(io.cascadefarm.common.port.Scopes.DEFAULT);
    return new Principal(k.tenant(), s);
  }

  /** Blocking resolution for callers outside the event loop. */
  @Override
  public String tenantOf(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    Optional<String> known = cached(header);
    if (known.isPresent()) {
      return known.get().isEmpty() ? null : known.get();
    }
    if (!tryLookup()) {
      throw tooManyLookups();
    }
    return load(header);
  }
}
