package io.cascadefarm.dispatcher.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.port.ApiKey;
import io.cascadefarm.common.port.ApiKeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Key lookups are cached for the TTL (hits and misses), so a revocation shows after it. */
class KeyCacheTest {
  final AtomicLong nanos = new AtomicLong(1);
  final AtomicInteger lookups = new AtomicInteger();
  final Map<String, ApiKey> keys = new HashMap<>();

  final ApiKeyStore store =
      new ApiKeyStore() {
        @Override
        public ApiKey createKey(String tenant, String name, String hash) {
          ApiKey k = new ApiKey(UUID.randomUUID(), tenant, name, Instant.EPOCH, null);
          keys.put(hash, k);
          return k;
        }

        @Override
        public List<ApiKey> listKeys() {
          return new ArrayList<>(keys.values());
        }

        @Override
        public boolean revokeKey(UUID id) {
          keys.replaceAll(
              (h, k) ->
                  k.id().equals(id)
                      ? new ApiKey(k.id(), k.tenant(), k.name(), k.createdAt(), Instant.EPOCH)
                      : k);
          return true;
        }

        @Override
        public Optional<ApiKey> findKey(String hash) {
          lookups.incrementAndGet();
          return Optional.ofNullable(keys.get(hash));
        }
      };

  String resolve(ApiKeyAuthenticator auth, String header) {
    Optional<String> cached = auth.cached(header);
    if (cached.isPresent()) {
      return cached.get().isEmpty() ? null : cached.get();
    }
    return auth.load(header);
  }

  @Test
  void lookupsAreCachedAndARevocationShowsAfterTheTtl() {
    ApiKeyAuthenticator auth = new ApiKeyAuthenticator(store, Duration.ofSeconds(30), nanos::get);
    String secret = ApiKeySecrets.generate();
    UUID id = store.createKey("acme", "k", ApiKeySecrets.sha256Hex(secret)).id();
    String header = "Bearer " + secret;
    assertEquals("acme", resolve(auth, header));
    assertEquals("acme", resolve(auth, header));
    assertEquals(1, lookups.get(), "second request served from the cache");
    store.revokeKey(id);
    nanos.addAndGet(Duration.ofSeconds(29).toNanos());
    assertEquals("acme", resolve(auth, header), "still cached within the TTL");
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    assertNull(resolve(auth, header), "revoked once the TTL is over");
    assertNull(resolve(auth, header));
    assertEquals(2, lookups.get(), "the refusal is cached too");
  }

  @Test
  void malformedHeadersAreRefusedWithoutALookup() {
    ApiKeyAuthenticator auth = new ApiKeyAuthenticator(store, Duration.ofSeconds(30), nanos::get);
    for (String h :
        new String[] {
          null,
          "",
          "Bearer",
          "Bearer ",
          "Basic abc",
          "Bearer a b",
          "Bearer é",
          "Bearer " + "x".repeat(ApiKeySecrets.MAX_TOKEN_CHARS + 1)
        }) {
      assertEquals(Optional.of(""), auth.cached(h), String.valueOf(h));
    }
    assertEquals(0, lookups.get());
  }

  @Test
  void secretsAreRandomPrefixedAndHashedAsHex() {
    String a = ApiKeySecrets.generate();
    String b = ApiKeySecrets.generate();
    assertTrue(a.matches("cf_[A-Za-z0-9_-]{43}"), a);
    assertTrue(!a.equals(b));
    assertEquals(64, ApiKeySecrets.sha256Hex(a).length());
    assertEquals(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ApiKeySecrets.sha256Hex("abc"));
  }

  @Test
  void aFloodOfUnknownKeysNeitherEvictsLiveKeysNorCostsALookupEach() {
    ApiKeyAuthenticator auth = new ApiKeyAuthenticator(store, Duration.ofSeconds(30), nanos::get);
    String secret = ApiKeySecrets.generate();
    store.createKey("acme", "ci", ApiKeySecrets.sha256Hex(secret));
    String good = "Bearer " + secret;
    assertEquals("acme", resolve(auth, good));
    int refused = 0;
    for (int i = 0; i < 3 * KeyCache.MAX_ENTRIES; i++) {
      nanos.addAndGet(500_000); // 0.5 ms apart: 15 s in all, within the TTL
      String random = "Bearer cf_" + UUID.randomUUID();
      if (auth.cached(random).isEmpty() && !auth.tryLookup()) {
        refused++;
        continue;
      }
      resolve(auth, random);
    }
    assertEquals(Optional.of("acme"), auth.cached(good), "the live key stayed cached");
    assertTrue(refused > 0, "uncached lookups were rate limited");
    assertTrue(
        lookups.get()
            <= ApiKeyAuthenticator.LOOKUP_BURST + 15 * ApiKeyAuthenticator.LOOKUPS_PER_SECOND + 2,
        lookups.get() + " lookups in 15 s");
  }
}
