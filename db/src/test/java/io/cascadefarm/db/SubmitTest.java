package io.cascadefarm.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.port.IdempotencyConflictException;
import io.cascadefarm.common.port.NewJob;
import io.cascadefarm.common.port.Submission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SubmitTest {
  private JdbcJobStore store;

  @BeforeEach
  void setUp() {
    TestDb.reset();
    store = TestDb.database().jobStore();
  }

  @Test
  void submitStoresAQueuedJobWithItsOutboxRowAndFirstTransition() {
    NewJob job = TestJobs.job("a red fox", 3);
    Submission s = store.submit(job, null, null);
    assertFalse(s.replayed());
    Job stored = store.find(job.id(), TestJobs.TENANT).orElseThrow();
    assertEquals(s.job(), stored);
    assertEquals(JobStatus.QUEUED, stored.status());
    assertEquals(job.params(), stored.params());
    assertEquals(3, stored.maxAttempts());
    assertEquals(0, stored.attempts());
    assertEquals(0, stored.epoch());
    assertEquals(1, store.history(job.id()).size());
    assertEquals(1, TestDb.count("SELECT count(*) FROM outbox WHERE job_id = '" + job.id() + "'"));
    assertTrue(store.find(job.id(), "other-tenant").isEmpty());
  }

  @Test
  void sameKeyAndBodyReturnsTheEarlierJob() {
    NewJob first = TestJobs.job("a castle", 3);
    Submission s1 = store.submit(first, "key-1", "hash-a");
    NewJob again = new NewJob(UUID.randomUUID(), first.tenant(), first.params(), 3);
    Submission s2 = store.submit(again, "key-1", "hash-a");
    assertTrue(s2.replayed());
    assertEquals(s1.job().id(), s2.job().id());
    assertTrue(store.find(again.id()).isEmpty(), "no second job");
    assertEquals(1, TestDb.count("SELECT count(*) FROM outbox"));
  }

  @Test
  void sameKeyWithAnotherBodyIsAConflict() {
    store.submit(TestJobs.job("a castle", 3), "key-1", "hash-a");
    NewJob other = TestJobs.job("a moat", 3);
    assertThrows(IdempotencyConflictException.class, () -> store.submit(other, "key-1", "hash-b"));
    assertTrue(store.find(other.id()).isEmpty());
  }

  @Test
  void keysAreScopedPerTenant() {
    Submission a = store.submit(TestJobs.job("t1", "x", 3), "shared-key", "h1");
    Submission b = store.submit(TestJobs.job("t2", "y", 3), "shared-key", "h2");
    assertFalse(b.replayed());
    assertTrue(!a.job().id().equals(b.job().id()));
  }

  @Test
  void concurrentSubmitsWithOneKeyCreateOneJob() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Submission>> futures = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        futures.add(pool.submit(() -> store.submit(TestJobs.job("race", 3), "race-key", "same")));
      }
      Set<UUID> ids = new java.util.HashSet<>();
      int fresh = 0;
      for (Future<Submission> f : futures) {
        Submission s = f.get();
        ids.add(s.job().id());
        fresh += s.replayed() ? 0 : 1;
      }
      assertEquals(1, ids.size());
      assertEquals(1, fresh);
      assertEquals(1, TestDb.count("SELECT count(*) FROM jobs"));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void badInputIsRejectedNamingTheField() {
    NewJob job = TestJobs.job("x", 3);
    store.submit(job, null, null);
    IllegalArgumentException dup =
        assertThrows(IllegalArgumentException.class, () -> store.submit(job, null, null));
    assertTrue(dup.getMessage().contains(job.id().toString()));
    NewJob zero = new NewJob(UUID.randomUUID(), "acme", job.params(), 0);
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> store.submit(zero, null, null))
            .getMessage()
            .contains("max_attempts"));
    assertThrows(IllegalArgumentException.class, () -> store.submit(job, "key", null));
  }

  @Test
  void paramsRoundTripThroughJsonb() {
    NewJob job =
        TestJobs.job("quotes \" and \\ backslashes, unicode \u00e9\u4e2d and\nnewlines", 3);
    store.submit(job, null, null);
    assertEquals(job.params(), store.find(job.id()).orElseThrow().params());
    assertEquals(
        Set.of(job.id()),
        store.pendingJobs(java.time.Instant.now(), 10).stream()
            .map(p -> p.message().jobId())
            .collect(Collectors.toSet()));
  }
}
