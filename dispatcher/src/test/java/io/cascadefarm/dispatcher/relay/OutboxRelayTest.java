package io.cascadefarm.dispatcher.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.port.JobPublisher;
import io.cascadefarm.common.port.NewJob;
import io.cascadefarm.common.topic.JobMessage;
import io.cascadefarm.db.testing.InMemoryJobStore;
import io.cascadefarm.dispatcher.ops.DispatcherMetrics;
import io.cascadefarm.dispatcher.service.BatchKeyCache;
import io.cascadefarm.dispatcher.service.Ids;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class OutboxRelayTest {
  final InMemoryJobStore store = new InMemoryJobStore();
  final List<CompletableFuture<Void>> held = new ArrayList<>();
  final List<JobMessage> sent = new ArrayList<>();
  final JobPublisher slow =
      m -> {
        sent.add(m);
        CompletableFuture<Void> f = new CompletableFuture<>();
        held.add(f);
        return f;
      };
  final DispatcherMetrics metrics = new DispatcherMetrics();
  final OutboxRelay relay =
      new OutboxRelay(
          store,
          OutboxSource.of(store),
          slow,
          new BatchKeyCache(),
          metrics,
          Clock.systemUTC(),
          Duration.ofMillis(50));

  void submit(int n) {
    for (int i = 0; i < n; i++) {
      store.submit(new NewJob(Ids.next(), "t", JobParams.textToImage("p" + i), 3), null, null);
    }
  }

  @Test
  void unacknowledgedRowsStayAndLateAcksDeleteThemOnTheNextPass() {
    submit(3);
    assertEquals(0, relay.drain());
    assertEquals(3, store.outboxSize(), "no ack within the wait: rows stay");
    assertTrue(metrics.scrape().contains("farm_outbox_publish_failures_total 3.0"));
    held.get(0).complete(null);
    held.get(2).complete(null);
    held.get(1).completeExceptionally(new IllegalStateException("timeout"));
    held.clear();
    relay.drain();
    // the two late acks are deleted; the failed one is sent again and, unacknowledged, stays
    assertEquals(1, store.outboxSize());
    assertEquals(sent.get(1).jobId(), sent.get(3).jobId());
    held.forEach(f -> f.complete(null));
    relay.drain();
    assertEquals(0, store.outboxSize());
    assertEquals(
        sent.get(0).batchKey(),
        JobParams.textToImage("p0").batchKey(),
        "batch key read back from the store");
  }
}
