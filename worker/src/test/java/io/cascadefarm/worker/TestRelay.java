package io.cascadefarm.worker;

import io.cascadefarm.db.JdbcJobStore;
import io.cascadefarm.db.PendingJob;
import io.cascadefarm.infra.kafka.KafkaJobPublisher;
import java.time.Instant;
import java.util.List;

/**
 * A minimal outbox relay and lease reaper for worker tests (the dispatcher owns the real ones):
 * every 100 ms it re-queues jobs whose lease expired, publishes due outbox rows to the jobs topic
 * and deletes them once Kafka acknowledged, so re-queued jobs come back after their backoff.
 */
final class TestRelay implements AutoCloseable {
  private final Thread thread;
  private volatile boolean running = true;

  TestRelay(JdbcJobStore store, KafkaJobPublisher jobs) {
    thread =
        new Thread(
            () -> {
              while (running) {
                try {
                  store.reapExpiredLeases(Instant.now(), 100);
                  List<PendingJob> due = store.pendingJobs(Instant.now(), 200);
                  for (PendingJob p : due) {
                    jobs.publish(p.message()).join();
                  }
                  store.markPublished(due.stream().map(PendingJob::outboxId).toList());
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                } catch (RuntimeException e) {
                  // store or broker hiccup: try again on the next round
                }
              }
            },
            "test-outbox-relay");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(10_000);
  }
}
