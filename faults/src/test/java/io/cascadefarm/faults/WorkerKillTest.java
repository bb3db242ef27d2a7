package io.cascadefarm.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
 * A worker process SIGKILLed mid-render: its lease expires, the reaper re-queues the job, another
 * worker finishes it; one {@code succeed}, one referenced result set. The full form runs with the
 * DEFAULT lease, heartbeat and reaper settings and asserts the documented bound: the job restarts
 * on another worker within 90 s of the kill.
 */
class WorkerKillTest {
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
  void sigkillMidRenderRestartsTheJobOnAnotherWorker() {
    UUID batch =
        Batches.submit(farm, List.of("kill me mid-render " + PoisonRenderer.SLOW_MARKER), 20);
    Batches.Running r = Batches.awaitRunning(farm, batch, Duration.ofSeconds(180));
    Instant killedAt = Instant.now();
    farm.workers.kill(r.worker());

    CleanFinish.Stats stats = Batches.awaitCleanFinish(farm, batch, 1, Duration.ofSeconds(300));
    List<Transition> ts = farm.audit.transitions(batch);
    Duration restart =
        Recovery.restartDelay(ts, r.job(), r.worker(), killedAt).orElseThrow(AssertionError::new);
    Transition done = ts.stream().filter(t -> t.event().equals("succeed")).findFirst().get();
    System.out.printf(
        "[faults] SIGKILL recovery (%s form): restarted %d ms after the kill, succeeded %d ms"
            + " after; history %s%n",
        farm.profile.full() ? "full, default lease" : "short, 6 s lease",
        restart.toMillis(),
        Duration.between(killedAt, done.at()).toMillis(),
        ts);

    assertEquals(1, CleanFinish.count(ts, "lease_expired"), ts::toString);
    assertNotEquals(r.worker(), done.worker(), "finished by another worker");
    assertEquals(1, stats.reRenders());
    if (farm.profile.full()) {
      assertTrue(
          restart.compareTo(Duration.ofSeconds(90)) < 0,
          "with default lease/heartbeat/reaper a killed worker's job restarts within 90 s, took "
              + restart);
    }
  }
}
