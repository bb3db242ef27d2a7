package io.cascadefarm.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.port.NewBatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Submits 10,000- and 100,000-job batches and prints how long each took (no timing assertion; the
 * numbers go into the report). Checks that every job, transition and outbox row arrived.
 */
class BatchInsertTimingTest {
  private JdbcJobStore store;

  @BeforeEach
  void setUp() {
    TestDb.reset();
    store = TestDb.database().jobStore();
  }

  @Test
  void tenThousandJobs() {
    store.submitBatch(TestJobs.batch(1_000)); // warm-up: JIT, prepared statements, pool
    for (int round = 1; round <= 3; round++) {
      measure(10_000, "round " + round);
    }
  }

  @Test
  void hundredThousandJobs() {
    measure(100_000, "single");
  }

  private void measure(int size, String label) {
    NewBatch batch = TestJobs.batch(size);
    long before = TestDb.count("SELECT count(*) FROM jobs");
    long jvm0 = ProcessCpu.jvmMillis();
    long pg0 = ProcessCpu.postgresMillis();
    long t0 = System.nanoTime();
    store.submitBatch(batch);
    long millis = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf(
        "submitBatch(%,d jobs) %s: %d ms wall; CPU: JVM %d ms (all threads), PostgreSQL %d ms;"
            + " load average %.1f%n",
        size,
        label,
        millis,
        ProcessCpu.jvmMillis() - jvm0,
        ProcessCpu.postgresMillis() - pg0,
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    assertEquals(before + size, TestDb.count("SELECT count(*) FROM jobs"));
    assertEquals(
        size,
        store.batch(batch.id(), TestJobs.TENANT).orElseThrow().counts().get(JobStatus.QUEUED));
    assertEquals(
        size,
        TestDb.count(
            "SELECT count(*) FROM outbox o JOIN jobs j ON j.id = o.job_id"
                + " WHERE j.batch_id = '"
                + batch.id()
                + "'"));
  }
}
