package io.cascadefarm.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.worker.fault.PoisonRenderer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Automatic quarantine on real worker processes (docs/operations.md, "Workers registry and
 * quarantine"; K = {@code farm.worker.quarantine-failures}, default 3, within {@code
 * farm.worker.quarantine-window}, default 10m). A worker whose device broke ({@link
 * BrokenDeviceRenderer}: every render fails) is quarantined by the rule while the healthy workers
 * render the whole batch; poison jobs, which fail on every worker, are dead-lettered and quarantine
 * nobody, although each worker fails at least K of them in a row.
 */
class QuarantineTest {
  static final int K = 3;
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
  void brokenWorkerIsQuarantinedWhileHealthyWorkersFinishTheBatch() {
    // two healthy workers and the broken one: with a fourth member the group's assignor may leave
    // one of them without a partition of the jobs topic (it balances both lanes together)
    List<String> alive = List.copyOf(farm.workers.aliveIds());
    for (int i = 2; i < alive.size(); i++) {
      farm.workers.kill(alive.get(i));
    }
    ChildJvm broken =
        farm.workers.start(
            Map.of("farm.worker.registry-interval", "1s"),
            List.of("-Dfarm.faults.broken-device=true"));
    String id = broken.name;
    try {
      WorkerPool.awaitReady(broken);
      farm.workers.awaitSettledGroup(Duration.ofSeconds(180));
      int jobs = 12;
      UUID batch = Batches.submit(farm, Batches.prompts("quarantine", jobs), 1);

      Await.until(
          "worker " + id + " to be quarantined",
          Duration.ofSeconds(300),
          () -> "quarantined".equals(worker(id).path("state").asText()),
          () -> worker(id) + " " + farm.audit.counts(batch));
      JsonNode w = worker(id);
      System.out.println("[faults] quarantined: " + w);
      assertTrue(w.path("quarantined").asBoolean(), w::toString);
      assertTrue(
          w.path("state_reason").asText().contains("succeeded on other workers"), w::toString);

      Await.until(
          "the healthy workers to finish the batch",
          Duration.ofSeconds(300),
          () -> farm.audit.finished(batch, jobs),
          () -> farm.audit.counts(batch).toString());
      assertEquals(Map.of("succeeded", jobs), farm.audit.counts(batch));

      List<Transition> ts = farm.audit.transitions(batch);
      List<Transition> onBroken = ts.stream().filter(t -> id.equals(t.worker())).toList();
      List<Transition> failures =
          onBroken.stream()
              .filter(t -> t.event().equals("requeue") || t.event().equals("fail"))
              .toList();
      assertTrue(failures.size() >= K, () -> "at least K failed attempts on " + id + ": " + ts);
      for (Transition t : failures) {
        assertTrue(
            t.reason() != null && t.reason().contains(BrokenDeviceRenderer.CODE), t::toString);
      }
      // every job ended on a healthy worker
      for (JobRow j : farm.audit.jobs(batch)) {
        Transition last = lastOf(ts, j.id(), "succeed");
        assertFalse(id.equals(last.worker()), () -> "job " + j.id() + " finished on " + id);
      }
      Instant first = failures.get(0).at();
      Instant since = Instant.parse(w.path("state_since").asText());
      Duration took = Duration.between(first, since);
      System.out.println(
          "[faults] " + id + " quarantined " + took.toMillis() + " ms after its first failure");
      assertTrue(
          took.compareTo(Duration.ofMinutes(10)) <= 0,
          () -> "within the quarantine window (10m): " + took);

      // it claims nothing more: a second batch runs on the healthy workers only
      UUID after = Batches.submit(farm, Batches.prompts("after quarantine", 4), 1);
      Await.until(
          "the second batch",
          Duration.ofSeconds(300),
          () -> farm.audit.finished(after, 4),
          () -> farm.audit.counts(after).toString());
      assertEquals(Map.of("succeeded", 4), farm.audit.counts(after));
      assertTrue(
          farm.audit.transitions(after).stream().noneMatch(t -> id.equals(t.worker())),
          "a quarantined worker claims no job");
    } finally {
      farm.workers.kill(id);
    }
  }

  @Test
  void poisonJobsAreDeadLetteredWithoutQuarantiningAnyone() {
    farm.workers.ensure(3);
    farm.workers.awaitSettledGroup(Duration.ofSeconds(120));
    List<String> prompts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      prompts.add(PoisonRenderer.MARKER + " " + i);
    }
    UUID batch = Batches.submit(farm, prompts, 1);
    Await.until(
        "the poison jobs to fail",
        Duration.ofSeconds(300),
        () -> farm.audit.finished(batch, prompts.size()),
        () -> farm.audit.counts(batch).toString());
    assertEquals(Map.of("failed", prompts.size()), farm.audit.counts(batch));
    for (JobRow j : farm.audit.jobs(batch)) {
      Await.until(
          "poison job " + j.id() + " on the dead-letter topic",
          Duration.ofSeconds(60),
          () -> DeadLetters.keys(farm.bootstrap(), farm.deadLetterTopic()).contains(j.id() + ""));
    }
    // every worker met at least K poison attempts, so the rule was consulted on each
    Map<String, Integer> claims = new TreeMap<>();
    farm.audit.transitions(batch).stream()
        .filter(t -> t.event().equals("claim"))
        .forEach(t -> claims.merge(t.worker(), 1, Integer::sum));
    System.out.println("[faults] poison attempts per worker: " + claims);
    assertTrue(claims.values().stream().anyMatch(n -> n >= K), claims::toString);
    // two registry intervals (5 s default) later, nobody is quarantined
    Instant wait = Instant.now().plusSeconds(12);
    Await.until(
        "two registry intervals", Duration.ofSeconds(30), () -> Instant.now().isAfter(wait));
    for (String id : claims.keySet()) {
      JsonNode w = worker(id);
      assertEquals("active", w.path("state").asText(), w::toString);
      assertFalse(w.path("quarantined").asBoolean(), w::toString);
    }
  }

  private static Transition lastOf(List<Transition> ts, UUID job, String event) {
    Transition found = null;
    for (Transition t : ts) {
      if (t.job().equals(job) && t.event().equals(event)) {
        found = t;
      }
    }
    if (found == null) {
      throw new AssertionError("no " + event + " of " + job + " in " + ts);
    }
    return found;
  }

  private static JsonNode worker(String id) {
    FarmHttp.Answer a = farm.http().send("GET", "/v1/workers/" + id, null);
    assertEquals(200, a.status(), a::body);
    return a.json();
  }
}
