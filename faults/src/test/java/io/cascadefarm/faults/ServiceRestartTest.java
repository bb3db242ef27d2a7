package io.cascadefarm.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.worker.fault.PoisonRenderer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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

  private CleanFinish.Stats finishes(String what, UUID batch) {
    CleanFinish.Stats s = Batches.awaitCleanFinish(farm, batch, JOBS, Duration.ofSeconds(420));
    System.out.println("[faults] " + what + ": " + s);
    return s;
  }

  /** Sizes of the worker logs now, to read what they log from here on. */
  private static Map<Path, Long> logSizes() throws IOException {
    Map<Path, Long> sizes = new HashMap<>();
    try (Stream<Path> files = Files.list(farm.profile.dir().resolve("logs"))) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith("w")).toList()) {
        sizes.put(f, Files.size(f));
      }
    }
    return sizes;
  }

  /** What the worker logs got since {@code before}. */
  private static String loggedSince(Map<Path, Long> before) throws IOException {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<Path, Long> e : logSizes().entrySet()) {
      byte[] all = Files.readAllBytes(e.getKey());
      int from = (int) Math.min(all.length, before.getOrDefault(e.getKey(), 0L));
      out.append(new String(all, from, all.length - from, StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  @Test
  void brokerRestartDuringABatch() {
    UUID batch = batchRunning("broker restart");
    farm.services.kafka().kill();
    Await.sleep(3000);
    farm.services.kafka().start();
    CleanFinish.Stats s = finishes("broker SIGKILL + restart", batch);
    assertEquals(0, s.reRenders(), "a broker restart re-rendered jobs: " + s);
  }

  @Test
  void postgresRestartDuringABatch() {
    UUID batch = batchRunning("postgres restart");
    farm.services.postgres().stop();
    Await.sleep(5000);
    farm.services.postgres().start();
    finishes("PostgreSQL stop + restart (5 s down)", batch);
  }

  /**
   * S3 stops while jobs render: at least one worker must have tried to upload during the outage
   * (its log shows the upload retried in place), and every job still finishes cleanly.
   */
  @Test
  void s3UnavailableDuringABatch() throws IOException {
    UUID batch = batchRunning("s3 outage");
    Map<Path, Long> before = logSizes();
    farm.services.s3().stop();
    Await.sleep(farm.profile.s3OutageSeconds() * 1000L);
    String duringOutage = loggedSince(before);
    farm.services.s3().start();
    CleanFinish.Stats s = finishes("S3 down " + farm.profile.s3OutageSeconds() + " s", batch);
    assertTrue(
        Pattern.compile("(upload|put) results/[^ ]+ failed .*retrying in")
            .matcher(duringOutage)
            .find(),
        "no upload overlapped the S3 outage (nothing was retried in place); worker logs:\n"
            + duringOutage.substring(Math.max(0, duringOutage.length() - 3000)));
    assertEquals(0, s.reRenders(), "uploads are retried in place, not re-rendered: " + s);
  }
}
