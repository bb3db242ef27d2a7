package io.cascadefarm.common.port;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Webhook signing secrets and deliveries (PostgreSQL: {@code db.WebhookTable}). Deliveries are
 * created by the store itself in the transaction of the job transition that causes them; a sender
 * claims due ones, sends them and records the outcome.
 */
public interface WebhookStore {

  /** A tenant's signing secret; {@code previous} stays valid until {@code rotatedAt} + 24 h. */
  record Secret(String tenant, String secret, String previous, Instant rotatedAt) {}

  /** One delivery, as stored. {@code payload} is the event's JSON as of its transition. */
  record Delivery(
      long id,
      String msgId,
      String tenant,
      String event,
      String url,
      UUID jobId,
      UUID batchId,
      String payload,
      Instant createdAt,
      String status,
      int attempts,
      Instant nextAttemptAt,
      Instant lastAttemptAt,
      Integer lastStatus,
      String lastError,
      Instant deliveredAt) {}

  /** The tenant's secret, created from {@code fresh} on first use. */
  Secret secret(String tenant, String fresh, Instant now);

  /** Replaces the secret by {@code fresh}; the old one becomes {@code previous}. */
  Secret rotate(String tenant, String fresh, Instant now);

  /**
   * Pending deliveries due at {@code now}, oldest first, hidden from other senders until {@code now
   * + claimFor}.
   */
  List<Delivery> claimDue(Instant now, int limit, java.time.Duration claimFor);

  /** A 2xx answer: the delivery succeeded. */
  void succeeded(long id, int status, Instant at);

  /**
   * A failed attempt ({@code status} null when there was no HTTP answer): retried at {@code
   * retryAt}, or dead-lettered (failed) when {@code retryAt} is null.
   */
  void attemptFailed(long id, Integer status, String error, Instant at, Instant retryAt);

  /** A tenant's deliveries of {@code status} (pending, succeeded, failed), newest first. */
  List<Delivery> list(String tenant, String status, Long beforeId, int limit);

  Optional<Delivery> find(String tenant, long id);

  /**
   * Queues a failed delivery again: a fresh retry period from {@code now}, attempts (and so the
   * backoff) counted from 0; false if not failed.
   */
  boolean redeliver(String tenant, long id, Instant now);
}
