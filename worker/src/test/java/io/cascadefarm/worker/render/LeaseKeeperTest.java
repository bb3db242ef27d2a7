package io.cascadefarm.worker.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cascadefarm.common.job.Lease;
import io.cascadefarm.db.testing.InMemoryJobStore;
import io.cascadefarm.worker.metrics.WorkerMetrics;
import io.cascadefarm.worker.testing.Fixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

class LeaseKeeperTest {
  @Test
  void aRefusedHeartbeatMarksTheLeaseLostAndAnUnreachableStoreDoesNot() {
    InMemoryJobStore store = new InMemoryJobStore();
    UUID id = store.add(Fixtures.small("a", 8, 8), 3);
    Lease lease = store.claim(id, "w1", Duration.ofSeconds(30)).orElseThrow();
    ActiveJob job = new ActiveJob(lease, store.get(id));
    WorkerMetrics metrics = new WorkerMetrics(new SimpleMeterRegistry(), "w1");
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor();
    try (LeaseKeeper keeper =
        new LeaseKeeper(
            s, store, Duration.ofHours(1), Duration.ofSeconds(30), List.of(job), metrics)) {
      keeper.beat();
      assertEquals(ActiveJob.State.ACTIVE, job.state());
      store.failNextCalls(1);
      keeper.beat();
      assertEquals(ActiveJob.State.ACTIVE, job.state());
      store.refuseHeartbeats();
      keeper.beat();
      assertEquals(ActiveJob.State.LEASE_LOST, job.state());
      assertEquals(1.0, metrics.count("farm.worker.lease.losses"));
    } finally {
      s.shutdownNow();
    }
  }
}
