package io.cascadefarm.faults;

import io.cascadefarm.worker.fault.PoisonRenderer;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A service fails while a batch renders on the worker processes: the Kafka broker is SIGKILLed and
 * restarted, PostgreSQL is stopped and restarted, S3 is unavailable for 30 s (8 s in the short
 * form). Workers and dispatcher reconnect by themselves and every job ends {@code succeeded}, with
 * one result set: nothing lost, stuck or finished twice.
 */
class ServiceRestartTest {
  private static final int JOBS = 6;
  private static FaultFarm farm;

  @BeforeAll
  static void farm() {
    farm = FaultFarm.shared();
    farm.workers.ensure(3);
  }

  @AfterAll
  static void heal() {
    farm.services.kafka().start();
    farm.services.postgres().start();
    farm.services.s3().start();
  }

  private UUID batchRunning(String name) {
    UUID batch =
        Batches.submit(farm, Batches.prompts(name + " " + PoisonRenderer.SLOW_MARKER, JOBS), 6);
    Batches.awaitRunning(farm, batch, Duration.ofSeconds(180));
    return batch;
  }

  private void finishes(String what, UUID batch) {
    CleanFinish.Stats s = Batches.awaitCleanFinish(farm, batch, JOBS, Duration.ofSeconds(420));
    System.out.println("[faults] " + what + ": " + s);
  }

  @Test
  void brokerRestartDuringABatch() {
    UUID batch = batchRunning("broker restart");
    farm.services.kafka().kill();
    Await.sleep(3000);
    farm.services.kafka().start();
    finishes("broker SIGKILL + restart", batch);
  }

  @Test
  void postgresRestartDuringABatch() {
    UUID batch = batchRunning("postgres restart");
    farm.services.postgres().stop();
    Await.sleep(5000);
    farm.services.postgres().start();
    finishes("PostgreSQL stop + restart (5 s down)", batch);
  }

  @Test
  void s3UnavailableDuringABatch() {
    UUID batch = batchRunning("s3 outage");
    farm.services.s3().stop();
    Await.sleep(farm.profile.s3OutageSeconds() * 1000L);
    farm.services.s3().start();
    finishes("S3 down " + farm.profile.s3OutageSeconds() + " s", batch);
  }
}
