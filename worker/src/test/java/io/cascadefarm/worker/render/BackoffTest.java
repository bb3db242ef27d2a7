package io.cascadefarm.worker.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void theCapDoublesPerAttemptUpToTheMaximum() {
    Backoff b = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(60), () -> 1.0);
    assertEquals(Duration.ofSeconds(2), b.cap(1));
    assertEquals(Duration.ofSeconds(4), b.cap(2));
    assertEquals(Duration.ofSeconds(32), b.cap(5));
    assertEquals(Duration.ofSeconds(60), b.cap(6));
    assertEquals(Duration.ofSeconds(60), b.cap(500));
  }

  @Test
  void fullJitterScalesTheCapByTheRandomDraw() {
    assertEquals(
        Duration.ofSeconds(2),
        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.5).delay(3));
    assertEquals(
        Duration.ZERO,
        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> 0.0).delay(3));
  }
}
