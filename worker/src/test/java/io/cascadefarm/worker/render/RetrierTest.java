package io.cascadefarm.worker.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetrierTest {
  private final List<Duration> waits = new ArrayList<>();
  private final AtomicInteger retries = new AtomicInteger();

  private Retrier retrier(Duration budget) {
    return new Retrier(budget, waits::add, retries::incrementAndGet, () -> false);
  }

  @Test
  void transientFailuresAreRetriedWithGrowingWaits() {
    AtomicInteger calls = new AtomicInteger();
    String v =
        retrier(Duration.ofSeconds(30))
            .call(
                "op",
                () -> {
                  if (calls.incrementAndGet() < 4) {
                    throw new IllegalStateException("down");
                  }
                  return "ok";
                });
    assertEquals("ok", v);
    assertEquals(
        List.of(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800)), waits);
    assertEquals(3, retries.get());
  }

  @Test
  void theLastErrorIsRethrownOnceTheBudgetIsSpent() {
    var e =
        assertThrows(
            IllegalStateException.class,
            () ->
                retrier(Duration.ofSeconds(10))
                    .call(
                        "op",
                        () -> {
                          throw new IllegalStateException("still down");
                        }));
    assertEquals("still down", e.getMessage());
    long waited = waits.stream().mapToLong(Duration::toMillis).sum();
    assertEquals(6200, waited); // 200+400+800+1600+3200; the next 5 s would pass 10 s
  }

  @Test
  void invalidInputIsNotRetried() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            retrier(Duration.ofSeconds(10))
                .call(
                    "op",
                    () -> {
                      throw new IllegalArgumentException("bad key");
                    }));
    assertEquals(0, retries.get());
  }
}
