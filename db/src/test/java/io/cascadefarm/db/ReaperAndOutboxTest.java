package io.cascadefarm.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobEvent;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.common.job.TransitionRecord;
import io.cascadefarm.common.port.NewJob;
import io.cascadefarm.common.port.OutboxMessage;
import io.cascadefarm.db.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReaperAndOutboxTest {
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration CLAIM = Duration.ofSeconds(20);

  private ManualClock clock;
  private JdbcJobStore store;

  @BeforeEach
  void setUp() {
    TestDb.reset();
    clock = new ManualClock(Instant.parse("2026-11-26T12:00:00Z"));
    store = new JdbcJobStore(TestDb.database().dataSource(), clock, CLAIM);
  }

  private UUID submitAndPublish(int maxAttempts) {
    NewJob job = TestJobs.job("a ship", maxAttempts);
    store.submit(job, null, null);
    store.markPublished(
        store.pendingOutbox(clock.instant(), 100).stream().map(OutboxMessage::id).toList());
    return job.id();
  }

  @Test
  void expiredLeasesAreRequeuedAndRepublished() {
    UUID expired = submitAndPublish(3);
    UUID alive = submitAndPublish(3);
    store.claim(expired, "w1", LEASE).orElseThrow();
    clock.advance(Duration.ofSeconds(20));
    Lease fresh = store.claim(alive, "w2", LEASE).orElseThrow();
    clock.advance(Duration.ofSeconds(11));

    assertEquals(List.of(expired), store.reapExpiredLeases(clock.instant(), 10));
    assertEquals(JobStatus.QUEUED, store.status(expired).orElseThrow());
    assertEquals(JobStatus.RUNNING, store.status(alive).orElseThrow());
    assertTrue(store.heartbeat(fresh, LEASE));
    List<OutboxMessage> due = store.pendingOutbox(clock.instant(), 10);
    assertEquals(List.of(expired), due.stream().map(OutboxMessage::jobId).toList());
    TransitionRecord last = store.history(expired).get(2);
    assertEquals(JobEvent.LEASE_EXPIRED, last.event());
    assertEquals("lease_expired", last.reason());
    assertTrue(store.reapExpiredLeases(clock.instant(), 10).isEmpty());
  }

  @Test
  void expiredLeaseWithoutAttemptsLeftFailsTheJob() {
    UUID id = submitAndPublish(1);
    store.claim(id, "w1", LEASE).orElseThrow();
    clock.advance(LEASE.plusSeconds(1));
    assertEquals(List.of(id), store.reapExpiredLeases(clock.instant(), 10));
    Job job = store.find(id).orElseThrow();
    assertEquals(JobStatus.FAILED, job.status());
    assertEquals("lease_expired", job.error().code());
    assertTrue(store.pendingOutbox(clock.instant(), 10).isEmpty());
  }

  @Test
  void reaperHonoursTheLimitAndConcurrentReapersNeverShareAJob() throws Exception {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      UUID id = submitAndPublish(3);
      store.claim(id, "w", LEASE).orElseThrow();
      ids.add(id);
    }
    clock.advance(LEASE.plusSeconds(1));
    assertEquals(5, store.reapExpiredLeases(clock.instant(), 5).size());
    List<UUID> all = runTwice(() -> drainReaper());
    assertEquals(55, all.size());
    assertEquals(55, new HashSet<>(all).size(), "no job reaped twice");
  }

  private List<UUID> drainReaper() {
    List<UUID> mine = new ArrayList<>();
    List<UUID> got;
    do {
      got = store.reapExpiredLeases(clock.instant(), 3);
      mine.addAll(got);
    } while (!got.isEmpty());
    return mine;
  }

  @Test
  void claimedOutboxRowsAreHiddenUntilPublishedOrTheClaimRunsOut() {
    NewJob job = TestJobs.job("x", 3);
    store.submit(job, null, null);
    List<OutboxMessage> first = store.pendingOutbox(clock.instant(), 10);
    assertEquals(1, first.size());
    assertTrue(store.pendingOutbox(clock.instant(), 10).isEmpty(), "claimed by the first relay");
    clock.advance(CLAIM.plusSeconds(1));
    List<OutboxMessage> again = store.pendingOutbox(clock.instant(), 10);
    assertEquals(first, again, "a crashed relay's rows come back");
    store.markPublished(List.of(again.get(0).id()));
    clock.advance(CLAIM.plusSeconds(1));
    assertTrue(store.pendingOutbox(clock.instant(), 10).isEmpty());
  }

  @Test
  void requeuedJobsArePublishedWhenTheBackoffEnds() {
    UUID id = submitAndPublish(3);
    Lease lease = store.claim(id, "w", LEASE).orElseThrow();
    store.fail(lease, new JobError("render_error", "x", true), Duration.ofSeconds(10));
    assertTrue(store.pendingOutbox(clock.instant(), 10).isEmpty());
    clock.advance(Duration.ofSeconds(10));
    assertEquals(
        List.of(id),
        store.pendingOutbox(clock.instant(), 10).stream().map(OutboxMessage::jobId).toList());
  }

  @Test
  void concurrentRelaysGetDisjointRows() throws Exception {
    for (int i = 0; i < 200; i++) {
      store.submit(TestJobs.job("r" + i, 3), null, null);
    }
    List<UUID> all =
        runTwice(
            () -> {
              List<UUID> mine = new ArrayList<>();
              List<OutboxMessage> got;
              do {
                got = store.pendingOutbox(clock.instant(), 7);
                got.forEach(m -> mine.add(m.jobId()));
              } while (!got.isEmpty());
              return mine;
            });
    assertEquals(200, all.size());
    assertEquals(200, new HashSet<>(all).size());
  }

  @Test
  void concurrentClaimsOfOneJobHaveExactlyOneWinner() throws Exception {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      ids.add(submitAndPublish(3));
    }
    List<UUID> won =
        runTwice(
            () -> {
              List<UUID> mine = new ArrayList<>();
              for (UUID id : ids) {
                store
                    .claim(id, Thread.currentThread().getName(), LEASE)
                    .ifPresent(l -> mine.add(l.jobId()));
              }
              return mine;
            });
    assertEquals(100, won.size());
    assertEquals(Set.copyOf(ids), Set.copyOf(won));
  }

  private static List<UUID> runTwice(Callable<List<UUID>> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<List<UUID>> a = pool.submit(task);
      Future<List<UUID>> b = pool.submit(task);
      List<UUID> all = new ArrayList<>(a.get());
      all.addAll(b.get());
      return all;
    } finally {
      pool.shutdownNow();
    }
  }
}
