package io.cascadefarm.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.worker.fault.PoisonRenderer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker process stopped with SIGTERM while it renders: it takes no new work, finishes its
 * in-flight jobs (or releases them, past {@code farm.worker.drain-timeout}), commits and exits 0;
 * the rest of the batch finishes on the other workers.
 */
class WorkerDrainTest {
  private static FaultFarm farm;

  @BeforeAll
  static void farm() {
    farm = FaultFarm.shared();
    farm.workers.ensure(3);
  }

  @AfterAll
  static void heal() {
    farm.workers.ensure(3);
  }

  @Test
  void sigtermDrainsTheWorkerAndItExitsZero() throws Exception {
    UUID batch =
        Batches.submit(farm, Batches.prompts("drain " + PoisonRenderer.SLOW_MARKER, 4), 12);
    Batches.Running r = Batches.awaitRunning(farm, batch, Duration.ofSeconds(180));
    ChildJvm w = farm.workers.remove(r.worker());
    Instant termAt = Instant.now();
    w.sigterm();

    Integer code = w.awaitExit(Duration.ofSeconds(150));
    assertNotNull(code, () -> w + " still running after SIGTERM");
    assertEquals(0, code, () -> "exit code of " + w);
    long exitMillis = Duration.between(termAt, Instant.now()).toMillis();
    CleanFinish.Stats stats = Batches.awaitCleanFinish(farm, batch, 4, Duration.ofSeconds(300));
    List<Transition> ts = farm.audit.transitions(batch);
    System.out.printf(
        "[faults] SIGTERM drain: %s exited 0 after %d ms; %s; history %s%n",
        r.worker(), exitMillis, stats, ts);

    Transition last =
        ts.stream()
            .filter(t -> t.job().equals(r.job()) && t.worker() != null)
            .filter(t -> t.worker().equals(r.worker()) && !t.event().equals("claim"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the drained job has no outcome: " + ts));
    assertTrue(
        List.of("succeed", "release").contains(last.event()),
        () -> "the in-flight job was finished or released, not " + last);
    Instant settled = termAt.plusSeconds(2); // a group already being claimed at the signal
    assertTrue(
        ts.stream()
            .noneMatch(
                t ->
                    t.event().equals("claim")
                        && r.worker().equals(t.worker())
                        && t.at().isAfter(settled)),
        () -> "the draining worker took new work: " + ts);
    assertEquals(0, CleanFinish.count(ts, "lease_expired"), "a drain leaves no expired lease");
  }
}
