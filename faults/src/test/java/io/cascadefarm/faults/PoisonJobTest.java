package io.cascadefarm.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.worker.fault.PoisonRenderer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A poison job (the workers' test-only fault hook fails every render of a prompt containing {@value
 * PoisonRenderer#MARKER}): tried up to the attempt limit, then {@code failed} with its reason and
 * published to the dead-letter topic, each attempt on a different worker (the relay steers a retry
 * to a partition of a worker that has not tried the job); {@code POST /v1/batches/{id}/retry}
 * re-queues it with a fresh attempt budget (and it fails again, as it must). Its healthy batch
 * neighbour succeeds.
 */
class PoisonJobTest {
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

  private static JobRow poison(UUID batch) {
    return farm.audit.jobs(batch).stream()
        .filter(j -> j.status().equals("failed"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no failed job in " + farm.audit.jobs(batch)));
  }

  private static void awaitFinished(UUID batch) {
    Await.until(
        "the poison batch to finish",
        Duration.ofSeconds(300),
        () -> farm.audit.finished(batch, 2),
        () -> farm.audit.counts(batch).toString());
  }

  @Test
  void poisonJobIsTriedUpToTheLimitDeadLetteredAndRetriable() {
    farm.workers.awaitSettledGroup(Duration.ofSeconds(120));
    UUID batch = Batches.submit(farm, List.of("healthy neighbour", PoisonRenderer.MARKER), 3);
    awaitFinished(batch);
    JobRow bad = poison(batch);
    List<Transition> ts = farm.audit.transitions(batch);
    List<Transition> mine = ts.stream().filter(t -> t.job().equals(bad.id())).toList();
    assertEquals(bad.maxAttempts(), bad.attempts(), mine::toString);
    assertEquals(bad.maxAttempts(), CleanFinish.count(mine, "claim"), mine::toString);
    assertEquals(bad.maxAttempts() - 1, CleanFinish.count(mine, "requeue"), mine::toString);
    assertEquals("injected_fault", bad.error().path("code").asText(), bad.error()::toString);
    List<String> workers =
        mine.stream().filter(t -> t.event().equals("claim")).map(Transition::worker).toList();
    System.out.println("[faults] poison job attempts ran on workers " + workers);
    // three live workers, three attempts: each retry is steered to a worker that has not tried it
    assertEquals(workers.size(), new java.util.HashSet<>(workers).size(), workers::toString);
    Await.until(
        "the poison job on the dead-letter topic",
        Duration.ofSeconds(60),
        () -> DeadLetters.keys(farm.bootstrap(), farm.deadLetterTopic()).contains(bad.id() + ""));
    assertEquals(
        1, farm.audit.jobs(batch).stream().filter(j -> j.status().equals("succeeded")).count());

    FarmHttp.Answer retry = farm.http().retryBatch(batch.toString());
    assertEquals(200, retry.status(), retry::body);
    assertEquals(1, retry.json().path("requeued").asInt(), retry::body);
    Await.until(
        "the retried poison job to be claimed again",
        Duration.ofSeconds(120),
        () -> !farm.audit.finished(batch, 2) || claims(batch, bad.id()) > bad.maxAttempts());
    awaitFinished(batch);
    JobRow again = poison(batch);
    List<Transition> after =
        farm.audit.transitions(batch).stream().filter(t -> t.job().equals(bad.id())).toList();
    assertEquals(1, CleanFinish.count(after, "retry"), after::toString);
    assertEquals(2 * bad.maxAttempts(), CleanFinish.count(after, "claim"), after::toString);
    assertEquals(again.maxAttempts(), again.attempts(), "a fresh attempt budget, used up again");
    assertTrue(
        DeadLetters.keys(farm.bootstrap(), farm.deadLetterTopic()).stream()
                .filter(k -> k.equals(bad.id() + ""))
                .count()
            >= 2,
        "dead-lettered again after the retry");
  }

  private static int claims(UUID batch, UUID job) {
    return CleanFinish.count(
        farm.audit.transitions(batch).stream().filter(t -> t.job().equals(job)).toList(), "claim");
  }
}
