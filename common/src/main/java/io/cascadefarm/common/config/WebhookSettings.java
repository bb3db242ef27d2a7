package io.cascadefarm.common.config;

import java.time.Duration;
import java.util.List;

/**
 * Delivery of signed webhooks (Standard Webhooks) by the dispatchers.
 *
 * @param allowPrivate whether webhook targets may be private, loopback or link-local addresses
 * @param retryFor how long a delivery is retried before it is dead-lettered (failed)
 * @param retryBackoff the first retry delay; each further one doubles, up to {@code backoffMax}
 * @param backoffMax the longest delay between two attempts
 * @param timeout connect plus answer time of one attempt
 * @param interval how often a dispatcher looks for due deliveries
 */
public record WebhookSettings(
    boolean allowPrivate,
    Duration retryFor,
    Duration retryBackoff,
    Duration backoffMax,
    Duration timeout,
    Duration interval) {
  public static final ConfigKey ALLOW_PRIVATE =
      new ConfigKey(
          "farm.webhooks.allow-private",
          "false",
          "Allow webhook URLs on private, loopback and link-local addresses (true in standalone"
              + " mode only)");
  public static final ConfigKey RETRY_FOR =
      new ConfigKey(
          "farm.webhooks.retry-for",
          "24h",
          "How long a webhook delivery is retried (exponential backoff) before it is"
              + " dead-lettered");
  public static final ConfigKey RETRY_BACKOFF =
      new ConfigKey(
          "farm.webhooks.retry-backoff",
          "5s",
          "First webhook retry delay (doubles each attempt, with jitter)");
  public static final ConfigKey BACKOFF_MAX =
      new ConfigKey(
          "farm.webhooks.retry-backoff-max", "1h", "Longest delay between two webhook attempts");
  public static final ConfigKey TIMEOUT =
      new ConfigKey(
          "farm.webhooks.timeout",
          "10s",
          "Time one webhook attempt may take (connect and answer); redirects are not followed");
  public static final ConfigKey INTERVAL =
      new ConfigKey(
          "farm.webhooks.interval", "500ms", "How often a dispatcher looks for due webhooks");

  public static final List<ConfigKey> KEYS =
      List.of(ALLOW_PRIVATE, RETRY_FOR, RETRY_BACKOFF, BACKOFF_MAX, TIMEOUT, INTERVAL);

  public static WebhookSettings from(ConfigSource c) {
    return new WebhookSettings(
        c.getBoolean(ALLOW_PRIVATE),
        c.getDuration(RETRY_FOR),
        c.getDuration(RETRY_BACKOFF),
        c.getDuration(BACKOFF_MAX),
        c.getDuration(TIMEOUT),
        c.getDuration(INTERVAL));
  }

  public static WebhookSettings defaults() {
    return from(ConfigSource.of(java.util.Map.of()));
  }
}
