package io.cascadefarm.dispatcher.webhook;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.config.WebhookSettings;
import io.cascadefarm.common.port.WebhookStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The retry schedule of a failing delivery with the default settings (5 s doubling, 1 h, 24 h). */
class WebhookBackoffTest {
  final WebhookSettings settings = WebhookSettings.defaults();
  final WebhookSender sender =
      new WebhookSender(null, settings, (job, n, key) -> "", Clock.systemUTC());

  static WebhookStore.Delivery failedTimes(int attempts, Instant created) {
    return new WebhookStore.Delivery(
        1,
        "msg_x",
        "t",
        "job.failed",
        "http://x",
        null,
        null,
        "{}",
        created,
        "pending",
        attempts,
        created,
        null,
        null,
        null,
        null);
  }

  @Test
  void delaysDoubleWithJitterUpToTheMaximumAndStopAfterRetryFor() {
    Instant created = Instant.parse("2026-01-01T00:00:00Z");
    Instant now = created.plusSeconds(1);
    for (int attempts = 0; attempts < 20; attempts++) {
      Instant next = sender.nextAttempt(failedTimes(attempts, created), now);
      long expected = Math.min(5_000L << Math.min(attempts, 30), Duration.ofHours(1).toMillis());
      long delay = Duration.between(now, next).toMillis();
      assertTrue(
          delay >= expected * 0.8 - 1 && delay <= expected * 1.2 + 1,
          "attempt " + (attempts + 1) + ": " + delay + " ms, expected about " + expected);
    }
    Instant late = created.plus(Duration.ofHours(24)).minusSeconds(60);
    assertNull(
        sender.nextAttempt(failedTimes(12, created), late),
        "no retry is scheduled past retry-for: the delivery is dead-lettered");
    sender.close();
  }
}
