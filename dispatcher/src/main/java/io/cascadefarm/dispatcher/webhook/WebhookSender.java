package io.cascadefarm.dispatcher.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cascadefarm.common.config.WebhookSettings;
import io.cascadefarm.common.json.Json;
import io.cascadefarm.common.port.WebhookStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the webhook deliveries the store queued (one thread claims due ones every {@code
 * farm.webhooks.interval}, up to {@value #PARALLEL} are sent at a time). Each attempt signs the
 * body with the tenant's secret (headers {@code webhook-id}, {@code webhook-timestamp}, {@code
 * webhook-signature}); a 2xx answer completes the delivery, anything else (another status, a
 * refused or private target, a timeout) is retried after {@code retry-backoff} doubling per attempt
 * with ±20 % jitter, up to {@code retry-backoff-max}, until {@code retry-for} after the event: then
 * it is dead-lettered (status failed, listed by {@code GET /v1/webhooks/deliveries}).
 *
 * <p>Job events carry fresh URLs of the result images, made at send time ({@link ImageLinks}). The
 * webhook-id is the same on every attempt of one delivery, so receivers can drop duplicates (a
 * sender that dies after the POST but before recording it sends the delivery again).
 */
public final class WebhookSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
  static final int PARALLEL = 8;
  private static final Duration SECRET_CACHE = Duration.ofSeconds(5);

  /** Makes the URL of image {@code n} of a job with the image's object key. */
  @FunctionalInterface
  public interface ImageLinks {
    String url(UUID jobId, int n, String key);
  }

  private final WebhookStore store;
  private final WebhookSettings settings;
  private final WebhookTargets targets;
  private final ImageLinks links;
  private final Clock clock;
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(r -> thread(r, "dispatcher-webhooks"));
  private final ExecutorService senders =
      Executors.newFixedThreadPool(PARALLEL, r -> thread(r, "dispatcher-webhook-send"));
  private final Map<String, CachedSecret> secrets = new ConcurrentHashMap<>();

  private record CachedSecret(WebhookStore.Secret secret, long readNanos) {}

  public WebhookSender(
      WebhookStore store, WebhookSettings settings, ImageLinks links, Clock clock) {
    this.store = store;
    this.settings = settings;
    this.targets = new WebhookTargets(settings.allowPrivate());
    this.links = links;
    this.clock = clock;
  }

  public WebhookSender start() {
    long ms = Math.max(10, settings.interval().toMillis());
    loop.scheduleWithFixedDelay(this::passSafely, ms, ms, TimeUnit.MILLISECONDS);
    return this;
  }

  private void passSafely() {
    try {
      while (pass() == PARALLEL * 4) {
        // a full page: go on at once
      }
    } catch (RuntimeException e) {
      LOG.warn("webhook pass failed (retrying): {}", e.toString());
    }
  }

  /** Claims due deliveries, sends them, records the outcomes; returns how many it claimed. */
  public int pass() {
    Duration claim = settings.timeout().multipliedBy(2).plusSeconds(30);
    List<WebhookStore.Delivery> due = store.claimDue(clock.instant(), PARALLEL * 4, claim);
    List<Future<?>> sent = new ArrayList<>();
    for (WebhookStore.Delivery d : due) {
      sent.add(senders.submit(() -> sendOne(d)));
    }
    for (Future<?> f : sent) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return due.size();
      } catch (Exception e) {
        LOG.warn("webhook send failed: {}", e.toString());
      }
    }
    return due.size();
  }

  private void sendOne(WebhookStore.Delivery d) {
    Instant now = clock.instant();
    Integer status = null;
    String error;
    try {
      WebhookTargets.Target target = targets.check(d.url());
      byte[] body = body(d);
      long ts = now.getEpochSecond();
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("webhook-id", d.msgId());
      headers.put("webhook-timestamp", Long.toString(ts));
      headers.put(
          "webhook-signature", WebhookSigner.header(secret(d.tenant()), d.msgId(), ts, body, now));
      status = WebhookPoster.post(target, headers, body, settings.timeout());
      if (status >= 200 && status < 300) {
        store.succeeded(d.id(), status, clock.instant());
        return;
      }
      error =
          "HTTP " + status + (status >= 300 && status < 400 ? " (redirects are not followed)" : "");
    } catch (WebhookTargets.Refused e) {
      error = "target refused: " + e.getMessage();
    } catch (IOException e) {
      error = e.getClass().getSimpleName() + ": " + e.getMessage();
    } catch (RuntimeException e) {
      error = e.toString();
    }
    Instant at = clock.instant();
    Instant retry = nextAttempt(d, at);
    store.attemptFailed(d.id(), status, error, at, retry);
    if (retry == null) {
      LOG.warn(
          "webhook {} {} to {} dead-lettered after {} attempts: {}",
          d.msgId(),
          d.event(),
          d.url(),
          d.attempts() + 1,
          error);
    }
  }

  /** When to try again after the attempt that just failed; null once retry-for is over. */
  Instant nextAttempt(WebhookStore.Delivery d, Instant now) {
    int failed = d.attempts() + 1;
    long base = settings.retryBackoff().toMillis();
    long max = settings.backoffMax().toMillis();
    double factor = Math.pow(2, Math.min(30, failed - 1));
    long delay = (long) Math.min(max, base * factor);
    delay = (long) (delay * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
    Instant next = now.plusMillis(Math.max(1, delay));
    return next.isAfter(d.createdAt().plus(settings.retryFor())) ? null : next;
  }

  /** The stored event with fresh result image URLs (job events). */
  byte[] body(WebhookStore.Delivery d) {
    JsonNode root = Json.fromBytes(d.payload().getBytes(StandardCharsets.UTF_8), JsonNode.class);
    JsonNode images = root.path("data").path("result").path("images");
    if (images.isArray()
        && d.jobId() != null
        && !root.path("data").path("result").path("expired_at").isTextual()) {
      for (int n = 0; n < images.size(); n++) {
        JsonNode img = images.get(n);
        if (img instanceof ObjectNode o && img.path("key").isTextual()) {
          try {
            o.put("url", links.url(d.jobId(), n, img.get("key").textValue()));
          } catch (RuntimeException e) {
            LOG.debug("no URL for {}: {}", img.get("key"), e.toString());
          }
        }
      }
    }
    return Json.toBytes(root);
  }

  private WebhookStore.Secret secret(String tenant) {
    CachedSecret c = secrets.get(tenant);
    long now = System.nanoTime();
    if (c != null && now - c.readNanos() < SECRET_CACHE.toNanos()) {
      return c.secret();
    }
    WebhookStore.Secret s = store.secret(tenant, WebhookSigner.newSecret(), clock.instant());
    secrets.put(tenant, new CachedSecret(s, now));
    return s;
  }

  /** Drops the cached secret of {@code tenant} (after a rotation on this dispatcher). */
  public void forget(String tenant) {
    secrets.remove(tenant);
  }

  @Override
  public void close() {
    loop.shutdownNow();
    senders.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
      senders.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread thread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
