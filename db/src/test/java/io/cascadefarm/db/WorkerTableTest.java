package io.cascadefarm.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.common.port.NewJob;
import io.cascadefarm.common.port.WorkerCommand;
import io.cascadefarm.common.port.WorkerHeartbeat;
import io.cascadefarm.common.port.WorkerRecord;
import io.cascadefarm.common.port.WorkerRegistry.JobElsewhere;
import io.cascadefarm.db.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The workers registry on the real embedded PostgreSQL: heartbeats upsert the worker's own columns
 * and read back the operator's hold; drain and release; retention; and what became of a worker's
 * failed jobs on the other workers (the quarantine rule's evidence).
 */
class WorkerTableTest {
  static final Duration LEASE = Duration.ofSeconds(30);
  private ManualClock clock;
  private WorkerTable workers;
  private JdbcJobStore store;

  @BeforeEach
  void setUp() {
    TestDb.reset();
    TestDb.exec("DELETE FROM workers");
    clock = new ManualClock(Instant.parse("2026-11-26T12:00:00Z"));
    workers = new WorkerTable(TestDb.database().dataSource(), clock);
    store = new JdbcJobStore(TestDb.database().dataSource(), clock, LEASE);
  }

  private static WorkerHeartbeat beat(String id, String state, long succeeded) {
    return new WorkerHeartbeat(
        id,
        "host-a",
        7,
        List.of("cuda:0"),
        "fp16",
        List.of("lite"),
        true,
        "ok",
        List.of(),
        succeeded,
        0,
        0,
        state,
        null,
        Instant.parse("2026-11-26T11:00:00Z"));
  }

  @Test
  void heartbeatsUpsertAndReadBackTheOperatorsHold() {
    assertEquals(WorkerCommand.NONE, workers.heartbeat(beat("w1", "active", 1)));
    workers.heartbeat(beat("w1", "active", 5));
    WorkerRecord r = workers.find("w1").orElseThrow();
    assertEquals(5, r.succeeded());
    assertEquals(List.of("lite"), r.models());
    assertEquals(1, workers.list().size());

    assertTrue(workers.drain("w1", "bad fan"));
    WorkerCommand held = workers.heartbeat(beat("w1", "active", 5));
    assertTrue(held.drain());
    assertEquals("bad fan", held.holdReason());
    assertTrue(workers.release("w1"));
    WorkerCommand released = workers.heartbeat(beat("w1", "drained", 5));
    assertFalse(released.drain());
    assertNull(released.hold());
    assertEquals(held.releaseRequests() + 1, released.releaseRequests());
    assertFalse(workers.drain("nobody", "x"));
    assertFalse(workers.release("nobody"));
  }

  @Test
  void silentWorkersAreDeletedAfterTheRetention() {
    workers.heartbeat(beat("old", "active", 0));
    clock.advance(Duration.ofHours(2));
    workers.heartbeat(beat("new", "active", 0));
    assertEquals(1, workers.deleteSilentSince(clock.instant().minus(Duration.ofHours(1))));
    assertEquals(List.of("new"), workers.list().stream().map(WorkerRecord::id).toList());
  }

  @Test
  void jobsElsewhereTellABrokenWorkerFromAPoisonJob() {
    UUID fine = submit();
    UUID poison = submit();
    UUID untried = submit();
    // "bad" fails both; "good" then renders the fine one and fails the poison one as well
    for (UUID id : List.of(fine, poison)) {
      Lease l = store.claim(id, "bad", LEASE).orElseThrow();
      store.fail(l, new JobError("device_fault", "x", true), Duration.ZERO);
    }
    Lease l = store.claim(untried, "bad", LEASE).orElseThrow();
    store.fail(l, new JobError("device_fault", "x", true), Duration.ZERO);
    clock.advance(Duration.ofSeconds(1));
    store.succeed(store.claim(fine, "good", LEASE).orElseThrow(), new JobResult(List.of()));
    store.fail(
        store.claim(poison, "good", LEASE).orElseThrow(),
        new JobError("injected_fault", "x", true),
        Duration.ZERO);

    Map<UUID, JobElsewhere> seen = workers.elsewhere("bad", List.of(fine, poison, untried));
    assertEquals(new JobElsewhere(true, false), seen.get(fine));
    assertEquals(new JobElsewhere(false, true), seen.get(poison));
    JobElsewhere none = seen.get(untried);
    assertTrue(none == null || (!none.succeeded() && !none.failed()), String.valueOf(none));
  }

  private UUID submit() {
    NewJob job = TestJobs.job("a lighthouse", 5);
    store.submit(job, null, null);
    return job.id();
  }
}
