package io.cascadefarm.dispatcher.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.port.NewJob;
import io.cascadefarm.db.testing.InMemoryJobStore;
import io.cascadefarm.dispatcher.fakes.RecordingPublisher;
import io.cascadefarm.dispatcher.ops.DispatcherMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LeaseReaperTest {

  private final InMemoryJobStore store = new InMemoryJobStore();
  private final RecordingPublisher deadLetters = new RecordingPublisher();
  private final LeaseReaper reaper =
      new LeaseReaper(store, deadLetters, new DispatcherMetrics(), Clock.systemUTC());

  private UUID runningJob(int maxAttempts) {
    UUID id = UUID.randomUUID();
    store.submit(new NewJob(id, "t", JobParams.textToImage("x"), maxAttempts), null, null);
    store.claim(id, "w1", Duration.ofSeconds(30)).orElseThrow();
    store.expireLease(id);
    return id;
  }

  @Test
  void expiredLeaseWithAttemptsLeftIsRequeuedNotDeadLettered() {
    UUID id = runningJob(3);
    assertEquals(1, reaper.reapOnce());
    assertEquals(JobStatus.QUEUED, store.status(id).orElseThrow());
    assertTrue(deadLetters.published.isEmpty());
  }

  @Test
  void expiredLeaseOnTheLastAttemptIsFailedAndDeadLettered() {
    UUID id = runningJob(1);
    assertEquals(1, reaper.reapOnce());
    assertEquals(JobStatus.FAILED, store.status(id).orElseThrow());
    assertEquals(1, deadLetters.published.size());
    assertEquals(id, deadLetters.published.get(0).jobId());
  }
}
