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
    int metricsPort = FaultFarm.freePort();
    ChildJvm broken =
        farm.workers.start(
            Map.of(
                "farm.worker.registry-interval",
                "1s",
                "farm.worker.metrics-port",
                Integer.toString(metricsPort)),
            List.of("-Dfarm.faults.broken-device=true"));
    String id = broken.name;
    try {
      WorkerPool.awaitReady(broken);
      farm.workers.awaitSettledGroup(Duration.ofSeconds(180));
      // jobs land on partitions by the hash of their ids: batches are submitted until the broken
      // worker has met K of them (each one ends on a healthy worker)
      int jobs = 6;
      List<UUID> batches = new ArrayList<>();
      batches.add(Batches.submit(farm, Batches.prompts("quarantine 0", jobs), 1));
      Await.until(
          "worker " + id + " to be quarantined",
          Duration.ofSeconds(300),
          () -> {
            if ("quarantined".equals(worker(id).path("state").asText())) {
              return true;
            }
            UUID last = batches.get(batches.size() - 1);
            if (farm.audit.finished(last, jobs) && batches.size() < 12) {
              batches.add(
                  Batches.submit(farm, Batches.prompts("quarantine " + batches.size(), jobs), 1));
            }
            return false;
          },
          () -> worker(id) + " after " + batches.size() + " batches");
      JsonNode w = worker(id);
      System.out.println("[faults] quarantined: " + w);
      assertTrue(w.path("quarantined").asBoolean(), w::toString);
      assertTrue(
          w.path("state_reason").asText().contains("succeeded on other workers"), w::toString);

      // the worker says so on its own /health (200: alive, only out of service) and metrics
      String health = get("http://127.0.0.1:" + metricsPort + "/health");
      assertTrue(health.startsWith("200 quarantined: "), health);
      String metrics = get("http://127.0.0.1:" + metricsPort + "/metrics");
      assertTrue(
          metrics
              .lines()
              .anyMatch(l -> l.startsWith("farm_worker_quarantined{") && l.endsWith(" 1.0")),
          metrics);

      Await.until(
          "the healthy workers to finish every batch",
          Duration.ofSeconds(300),
          () -> batches.stream().allMatch(b -> farm.audit.finished(b, jobs)),
          () -> batches.stream().map(b -> farm.audit.counts(b).toString()).toList().toString());
      List<Transition> ts = new ArrayList<>();
      List<JobRow> rows = new ArrayList<>();
      for (UUID b : batches) {
        assertEquals(Map.of("succeeded", jobs), farm.audit.counts(b));
        ts.addAll(farm.audit.transitions(b));
        rows.addAll(farm.audit.jobs(b));
      }
      System.out.println(
          "[faults] " + batches.size() + " batch(es) of " + jobs + " until the quarantine");

      List<Transition> onBroken = ts.stream().filter(t -> id.equals(t.worker())).toList();
      List<Transition> failures =
          onBroken.stream()
              .filter(t -> t.event().equals("requeue") || t.event().equals("fail"))
              .sorted(java.util.Comparator.comparing(Transition::at))
              .toList();
      assertTrue(failures.size() >= K, () -> "at least K failed attempts on " + id + ": " + ts);
      for (Transition t : failures) {
        assertTrue(
            t.reason() != null && t.reason().contains(BrokenDeviceRenderer.CODE), t::toString);
      }
      // every job ended on a healthy worker
      for (JobRow j : rows) {
        Transition last = lastOf(ts, j.id(), "succeed");
        assertFalse(id.equals(last.worker()), () -> "job " + j.id() + " finished on " + id);
      }
      Instant first = failures.get(0).at();
      Instant kth = failures.get(K - 1).at();
      Instant since = Instant.parse(w.path("state_since").asText());
      Duration took = Duration.between(first, since);
      System.out.println(
          "[faults] "
              + id
              + " quarantined "
              + took.toMillis()
              + " ms after its first failure, "
              + Duration.between(kth, since).toMillis()
              + " ms after its K-th");
      assertTrue(
          took.compareTo(Duration.ofMinutes(10)) <= 0,
          () -> "within the quarantine window (10m): " + took);

      // it claims nothing more: one more batch runs on the healthy workers only
      UUID after = Batches.submit(farm, Batches.prompts("after quarantine", 4), 1);
      Await.until(
          "the batch after the quarantine",
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

  /** {@code "<status> <body>"} of a GET. */
  private static String get(String url) {
    try {
      java.net.http.HttpResponse<String> r =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      return r.statusCode() + " " + r.body();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode worker(String id) {
    FarmHttp.Answer a = farm.http().send("GET", "/v1/workers/" + id, null);
    assertEquals(200, a.status(), a::body);
    return a.json();
  }
}
