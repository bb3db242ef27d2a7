package io.cascadefarm.dispatcher.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.port.JobPublisher;
import io.cascadefarm.common.port.NewJob;
import io.cascadefarm.db.testing.InMemoryJobStore;
import io.cascadefarm.dispatcher.Await;
import io.cascadefarm.dispatcher.ops.DispatcherMetrics;
import io.cascadefarm.dispatcher.service.BatchKeyCache;
import io.cascadefarm.dispatcher.service.Ids;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The loops outlive Errors, and a stalled loop is reported (so /healthz turns red). */
class BackgroundLoopsTest {
  final InMemoryJobStore store = new InMemoryJobStore();
  final DispatcherMetrics metrics = new DispatcherMetrics();

  BackgroundLoops loops(JobPublisher publisher, Duration stall) {
    OutboxRelay relay =
        new OutboxRelay(
            store,
            OutboxSource.of(store),
            publisher,
            new BatchKeyCache(),
            metrics,
            Clock.systemUTC(),
            Duration.ofMillis(200));
    LeaseReaper reaper =
        new LeaseReaper(
            store, m -> CompletableFuture.completedFuture(null), metrics, Clock.systemUTC());
    return new BackgroundLoops(
        relay, reaper, metrics, Duration.ofMillis(20), Duration.ofMillis(20), stall);
  }

  void submit() {
    store.submit(new NewJob(Ids.next(), "t", JobParams.textToImage("p"), 3), null, null);
  }

  @Test
  void theRelayOutlivesAnError() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    JobPublisher flaky =
        m -> {
          if (calls.incrementAndGet() <= 2) {
            throw new StackOverflowError("injected");
          }
          return CompletableFuture.completedFuture(null);
        };
    submit();
    try (BackgroundLoops l = loops(flaky, Duration.ofMinutes(1))) {
      Await.until("the relay to publish after two Errors", () -> store.outboxSize() == 0);
      assertTrue(calls.get() >= 3);
      submit();
      l.wake();
      Await.until("the relay to go on publishing", () -> store.outboxSize() == 0);
      assertEquals("ok", l.health().get("outbox_relay"));
    }
  }

  @Test
  void aStalledRelayIsReported() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    JobPublisher stuck =
        m -> {
          try {
            never.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return CompletableFuture.completedFuture(null);
        };
    submit();
    try (BackgroundLoops l = loops(stuck, Duration.ofMillis(300))) {
      Await.until(
          "the stuck relay to be reported",
          () -> l.health().get("outbox_relay").startsWith("stalled"));
      assertEquals("ok", l.health().get("lease_reaper"));
    } finally {
      never.countDown();
    }
  }
}
