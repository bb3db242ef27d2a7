package io.cascadefarm.worker;

import static io.cascadefarm.worker.ItFarm.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.job.Lease;
import io.cascadefarm.worker.testing.PngRenderer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On real PostgreSQL, Kafka and S3: an earlier claim that uploaded and then died leaves objects
 * under its own epoch; the claim that succeeds writes under its epoch (even though the release gave
 * the attempt number back) and deletes the dead claim's objects (issue 15: the weak claim "earlier
 * attempts' objects are deleted", and finding 11).
 */
class DeadClaimObjectsIntegrationTest {
  static ItFarm farm;

  @BeforeAll
  static void services() {
    farm = new ItFarm();
  }

  @AfterAll
  static void close() throws Exception {
    farm.close();
  }

  @Test
  void theSucceedingClaimDeletesADeadClaimsObjectsAndNeverSharesItsKeys() throws Exception {
    UUID id = farm.submit("dead claim", 3);
    Lease zombie = farm.store.claim(id, "zombie", Duration.ofSeconds(15)).orElseThrow();
    String dead = "results/" + id + "/" + zombie.epoch() + "/0.png";
    farm.objects.put(dead, new byte[] {1, 2, 3}, "image/png"); // uploaded, then the worker died
    farm.store.release(zombie, "the zombie's machine went away");
    assertEquals(0, farm.job(id).attempts(), "the release gave the attempt back");
    Worker w = farm.worker("it-dead-claims", new PngRenderer(2));
    try {
      await(
          "the job to succeed",
          Duration.ofSeconds(120),
          () -> farm.job(id).status() == JobStatus.SUCCEEDED);
      Job done = farm.job(id);
      assertEquals(1, done.attempts(), "the same attempt number as the dead claim");
      String kept = "results/" + id + "/" + done.epoch() + "/0.png";
      assertEquals(kept, done.result().images().get(0).key());
      await(
          "the dead claim's object to be deleted",
          Duration.ofSeconds(30),
          () -> farm.objects.list("results/" + id + "/").equals(List.of(kept)));
    } finally {
      w.close();
    }
  }
}
