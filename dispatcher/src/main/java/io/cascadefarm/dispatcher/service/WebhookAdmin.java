package io.cascadefarm.dispatcher.service;

import io.cascadefarm.common.port.WebhookStore;
import io.cascadefarm.dispatcher.api.ApiException;
import io.cascadefarm.dispatcher.webhook.WebhookSigner;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code GET /v1/webhooks/secret}, {@code POST /v1/webhooks/secret/rotate}, {@code GET
 * /v1/webhooks/deliveries} and {@code POST /v1/webhooks/deliveries/{id}/redeliver} of one tenant.
 */
public final class WebhookAdmin {
  private final WebhookStore store;
  private final Clock clock;
  private final Consumer<String> rotated;

  /** {@code rotated} is told the tenant after a rotation (the sender drops its cached secret). */
  public WebhookAdmin(WebhookStore store, Clock clock, Consumer<String> rotated) {
    this.store = store;
    this.clock = clock;
    this.rotated = rotated;
  }

  /**
   * A tenant's signing secret; {@code previous_secret} still signs (a second signature) until
   * {@code previous_valid_until}.
   */
  public record SecretView(String secret, String previousSecret, Instant previousValidUntil) {}

  /** One delivery as listed (the payload is left out). */
  public record DeliveryView(
      long id,
      String webhookId,
      String event,
      String url,
      java.util.UUID jobId,
      java.util.UUID batchId,
      String status,
      int attempts,
      Instant createdAt,
      Instant nextAttemptAt,
      Instant lastAttemptAt,
      Integer lastStatus,
      String lastError,
      Instant deliveredAt) {}

  /** A page of deliveries, newest first; {@code next} is the {@code before} of the next page. */
  public record DeliveriesPage(List<DeliveryView> deliveries, String next) {}

  public SecretView secret(String tenant) {
    return view(
        StoreGuard.call(
            "webhook secret",
            () -> store.secret(tenant, WebhookSigner.newSecret(), clock.instant())));
  }

  public SecretView rotate(String tenant) {
    WebhookStore.Secret s =
        StoreGuard.call(
            "rotate webhook secret",
            () -> store.rotate(tenant, WebhookSigner.newSecret(), clock.instant()));
    rotated.accept(tenant);
    return view(s);
  }

  public DeliveriesPage deliveries(String tenant, String status, String limit, String before) {
    String st = status == null || status.isEmpty() ? "failed" : status;
    if (!List.of("pending", "succeeded", "failed").contains(st)) {
      throw ApiException.invalidField("status", "must be one of pending, succeeded, failed");
    }
    int n = Limits.page(limit);
    Long from = before == null || before.isEmpty() ? null : id(before, "before");
    List<WebhookStore.Delivery> rows =
        StoreGuard.call("list webhook deliveries", () -> store.list(tenant, st, from, n));
    String next = rows.size() == n ? Long.toString(rows.get(rows.size() - 1).id()) : null;
    return new DeliveriesPage(rows.stream().map(WebhookAdmin::view).toList(), next);
  }

  /** Queues a dead-lettered delivery again; 404 when unknown, 409 when it is not failed. */
  public DeliveryView redeliver(String tenant, String id) {
    long n = id(id, "id");
    WebhookStore.Delivery d =
        StoreGuard.call("find delivery", () -> store.find(tenant, n))
            .orElseThrow(() -> ApiException.notFound("id", "no such webhook delivery"));
    boolean done = StoreGuard.call("redeliver", () -> store.redeliver(tenant, n, clock.instant()));
    if (!done) {
      throw ApiException.conflict(
          "status", "the delivery is " + d.status() + "; only failed deliveries are redelivered");
    }
    return view(StoreGuard.call("find delivery", () -> store.find(tenant, n)).orElseThrow());
  }

  private static long id(String s, String field) {
    try {
      long v = Long.parseLong(s);
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw ApiException.invalidField(field, "must be a delivery id (a positive integer)");
  }

  private static SecretView view(WebhookStore.Secret s) {
    Instant until = s.rotatedAt() == null ? null : s.rotatedAt().plus(WebhookSigner.OVERLAP);
    boolean overlap = until != null && until.isAfter(Instant.now());
    return new SecretView(s.secret(), overlap ? s.previous() : null, overlap ? until : null);
  }

  static DeliveryView view(WebhookStore.Delivery d) {
    return new DeliveryView(
        d.id(),
        d.msgId(),
        d.event(),
        d.url(),
        d.jobId(),
        d.batchId(),
        d.status(),
        d.attempts(),
        d.createdAt(),
        "pending".equals(d.status()) ? d.nextAttemptAt() : null,
        d.lastAttemptAt(),
        d.lastStatus(),
        d.lastError(),
        d.deliveredAt());
  }
}
