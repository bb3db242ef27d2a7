package io.cascadefarm.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.common.port.BatchSummary;
import io.cascadefarm.common.port.NewBatch;
import io.cascadefarm.common.port.NewJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BatchTest {
  private static final Duration LEASE = Duration.ofSeconds(30);

  private JdbcJobStore store;

  @BeforeEach
  void setUp() {
    TestDb.reset();
    store = TestDb.database().jobStore();
  }

  @Test
  void submitBatchStoresEveryJobQueuedWithOutboxRowsInSubmissionOrder() {
    NewBatch batch = TestJobs.batch(50);
    BatchSummary summary = store.submitBatch(batch);
    assertEquals(50, summary.jobCount());
    assertEquals(50, summary.counts().get(JobStatus.QUEUED));
    BatchSummary read = store.batch(batch.id(), TestJobs.TENANT).orElseThrow();
    assertEquals(50, read.counts().get(JobStatus.QUEUED));
    assertEquals(0, read.counts().get(JobStatus.RUNNING));
    assertEquals(Map.of("owner", "test"), read.metadata());
    assertTrue(store.batch(batch.id(), "other").isEmpty());

    List<PendingJob> pending = store.pendingJobs(java.time.Instant.now(), 100);
    assertEquals(
        batch.jobs().stream().map(NewJob::id).toList(),
        pending.stream().map(p -> p.message().jobId()).toList());
    NewJob first = batch.jobs().get(0);
    assertEquals(first.params().batchKey(), pending.get(0).message().batchKey());
    assertEquals(first.params(), store.find(first.id()).orElseThrow().params());
    assertEquals(1, store.history(first.id()).size(), "creation shows as the first record");
    assertEquals(first.id(), store.history(first.id()).get(0).jobId());
  }

  @Test
  void keysetPaginationVisitsEveryJobOnceInIdOrder() {
    NewBatch batch = TestJobs.batch(53);
    store.submitBatch(batch);
    List<UUID> seen = new ArrayList<>();
    UUID after = null;
    int pages = 0;
    while (true) {
      List<Job> page = store.listBatchJobs(batch.id(), TestJobs.TENANT, null, 10, after);
      if (page.isEmpty()) {
        break;
      }
      pages++;
      page.forEach(j -> seen.add(j.id()));
      after = page.get(page.size() - 1).id();
    }
    assertEquals(6, pages);
    assertEquals(53, seen.size());
    assertEquals(
        batch.jobs().stream().map(NewJob::id).collect(java.util.stream.Collectors.toSet()),
        new HashSet<>(seen));
    List<Job> all = store.listBatchJobs(batch.id(), TestJobs.TENANT, null, 100, null);
    assertEquals(seen, all.stream().map(Job::id).toList(), "pages concatenate to the full order");
    assertTrue(store.listBatchJobs(batch.id(), "other", null, 100, null).isEmpty());
  }

  @Test
  void statusFilterAndBatchCommands() {
    NewBatch batch = TestJobs.batch(10);
    store.submitBatch(batch);
    List<UUID> ids = batch.jobs().stream().map(NewJob::id).toList();
    Lease running = store.claim(ids.get(0), "w1", LEASE).orElseThrow();
    Lease failing = store.claim(ids.get(1), "w1", LEASE).orElseThrow();
    store.fail(failing, new JobError("invalid_input", "no", false), Duration.ZERO);
    Lease done = store.claim(ids.get(2), "w1", LEASE).orElseThrow();
    store.succeed(done, new io.cascadefarm.common.job.JobResult(List.of()));

    assertEquals(
        List.of(ids.get(1)),
        store.listBatchJobs(batch.id(), TestJobs.TENANT, JobStatus.FAILED, 10, null).stream()
            .map(Job::id)
            .toList());
    assertEquals(
        7, store.listBatchJobs(batch.id(), TestJobs.TENANT, JobStatus.QUEUED, 10, null).size());

    assertEquals(0, store.cancelBatch(batch.id(), "other"));
    assertEquals(8, store.cancelBatch(batch.id(), TestJobs.TENANT), "7 queued + 1 running");
    assertTrue(store.heartbeat(running, LEASE) == false);
    BatchSummary s = store.batch(batch.id(), TestJobs.TENANT).orElseThrow();
    assertEquals(8, s.counts().get(JobStatus.CANCELLED));
    assertEquals(1, s.counts().get(JobStatus.FAILED));
    assertEquals(1, s.counts().get(JobStatus.SUCCEEDED));
    assertEquals(
        0, TestDb.count("SELECT count(*) FROM outbox"), "cancelled jobs are not published");

    assertEquals(1, store.retryBatch(batch.id(), TestJobs.TENANT, false));
    assertEquals(8, store.retryBatch(batch.id(), TestJobs.TENANT, true));
    assertEquals(
        9, store.batch(batch.id(), TestJobs.TENANT).orElseThrow().counts().get(JobStatus.QUEUED));
    assertEquals(9, TestDb.count("SELECT count(*) FROM outbox"));
  }

  @Test
  void aBatchIsAllOrNothing() {
    NewBatch first = TestJobs.batch(5);
    store.submitBatch(first);
    List<NewJob> jobs = new ArrayList<>(TestJobs.batch(5).jobs());
    jobs.add(first.jobs().get(0)); // duplicate id
    NewBatch bad = new NewBatch(UUID.randomUUID(), TestJobs.TENANT, jobs, null);
    assertThrows(IllegalArgumentException.class, () -> store.submitBatch(bad));
    assertTrue(store.batch(bad.id(), TestJobs.TENANT).isEmpty());
    assertEquals(5, TestDb.count("SELECT count(*) FROM jobs"));
    assertEquals(5, TestDb.count("SELECT count(*) FROM outbox"));

    NewJob foreign = TestJobs.job("other-tenant", "x", 3);
    NewBatch mixed = new NewBatch(UUID.randomUUID(), TestJobs.TENANT, List.of(foreign), null);
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> store.submitBatch(mixed))
            .getMessage()
            .contains("tenant"));
    assertTrue(store.listBatchJobs(mixed.id(), TestJobs.TENANT, null, 5, null).isEmpty());
  }
}
