package io.cascadefarm.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults around the dispatcher: the dispatcher process SIGKILLed right after answering 202 (the job
 * still runs: its row and outbox row were committed before the answer); Kafka down while jobs are
 * submitted (still 202; they run when Kafka returns); PostgreSQL down (503 with Retry-After, and
 * the API recovers by itself).
 */
class DispatcherFaultsTest {
  private static FaultFarm farm;

  @BeforeAll
  static void farm() {
    farm = FaultFarm.shared();
    farm.workers.ensure(3);
  }

  @AfterAll
  static void heal() {
    if (!farm.dispatcherInProcess()) {
      farm.startDispatcher();
    }
    farm.services.kafka().start();
    farm.services.postgres().start();
  }

  /**
   * The killed dispatcher's relay must not have published the jobs itself: Kafka is down while it
   * accepts them, and the test checks that their outbox rows are still there after the kill. Only
   * the new dispatcher's relay can then publish them.
   */
  @Test
  void dispatcherKilledRightAfter202TheJobStillRuns() {
    farm.stopDispatcher();
    ChildJvm d = farm.startDispatcherProcess();
    farm.services.kafka().kill();
    FarmHttp.Answer a;
    try {
      a = farm.http().submit(Batches.prompts("orphaned by the dispatcher", 3), 3);
      d.sigkill();
    } finally {
      farm.services.kafka().start();
    }
    assertEquals(202, a.status(), a::body);
    UUID batch = UUID.fromString(a.json().path("id").asText());
    assertEquals(
        3,
        farm.audit.outboxRows(batch),
        "the killed dispatcher published nothing: every job still waits in the outbox");
    assertEquals(Map.of("queued", 3), farm.audit.counts(batch));
    farm.startDispatcher(); // a new dispatcher: its relay and reaper take over
    CleanFinish.Stats stats = Batches.awaitCleanFinish(farm, batch, 3, Duration.ofSeconds(300));
    System.out.println("[faults] dispatcher SIGKILL after 202: " + stats);
  }

  @Test
  void kafkaDownJobsAreAcceptedAndRunWhenItReturns() {
    farm.services.kafka().kill();
    FarmHttp.Answer a = farm.http().submit(Batches.prompts("while kafka is down", 4), 3);
    assertEquals(202, a.status(), a::body);
    UUID batch = UUID.fromString(a.json().path("id").asText());
    Await.sleep(3000);
    assertEquals(Map.of("queued", 4), farm.audit.counts(batch), "accepted and waiting");
    farm.services.kafka().start();
    CleanFinish.Stats stats = Batches.awaitCleanFinish(farm, batch, 4, Duration.ofSeconds(300));
    System.out.println("[faults] Kafka down during submit: " + stats);
  }

  @Test
  void postgresDownTheApiAnswers503WithRetryAfter() {
    farm.services.postgres().stop();
    try {
      FarmHttp.Answer a = farm.http().submit(List.of("while postgres is down"), 3);
      assertEquals(503, a.status(), a::body);
      assertNotNull(a.retryAfter(), "Retry-After on 503");
      assertEquals(503, farm.http().send("GET", "/v1/batches/" + UUID.randomUUID(), null).status());
    } finally {
      farm.services.postgres().start();
    }
    FarmHttp.Answer[] ok = new FarmHttp.Answer[1];
    Await.until(
        "the API to accept jobs again",
        Duration.ofSeconds(120),
        () -> (ok[0] = farm.http().submit(List.of("after postgres returned"), 3)).status() == 202);
    UUID batch = UUID.fromString(ok[0].json().path("id").asText());
    Batches.awaitCleanFinish(farm, batch, 1, Duration.ofSeconds(300));
  }
}
