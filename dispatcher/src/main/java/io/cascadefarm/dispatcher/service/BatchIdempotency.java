package io.cascadefarm.dispatcher.service;

import io.cascadefarm.common.port.BatchSummary;
import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.dispatcher.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/**
 * Idempotency-Key for batches. The store keeps keys only for single jobs, so a keyed batch gets a
 * deterministic id (a name-based UUID of tenant and key) and carries the request's SHA-256 in its
 * metadata under {@value #HASH_KEY}. Resending the same body finds the batch and replays it;
 * another body under the same key is a 409. Keys live as long as the batch row.
 */
final class BatchIdempotency {
  static final String HASH_KEY = "idempotency_request_sha256";

  private BatchIdempotency() {}

  static UUID batchId(String tenant, String key) {
    return UUID.nameUUIDFromBytes(("batch|" + tenant + "|" + key).getBytes(StandardCharsets.UTF_8));
  }

  /** The earlier batch of this key if the body is the same; 409 if it differs. */
  static Optional<BatchSummary> replay(JobStore store, UUID id, String tenant, String hash) {
    Optional<BatchSummary> earlier = StoreGuard.call("find batch", () -> store.batch(id, tenant));
    java.util.Map<String, Object> meta = earlier.map(BatchSummary::metadata).orElse(null);
    if (earlier.isPresent() && (meta == null || !hash.equals(meta.get(HASH_KEY)))) {
      throw ApiException.conflict(
          "Idempotency-Key", "the key was already used for a batch with a different request body");
    }
    return earlier;
  }
}
