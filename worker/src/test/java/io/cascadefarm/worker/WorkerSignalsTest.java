package io.cascadefarm.worker;

import static io.cascadefarm.worker.ItFarm.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.JobEvent;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.worker.testing.PngRenderer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker as its own OS process ({@link TestWorkerMain}) against the real services, stopped with
 * SIGTERM (drains: finishes, or releases past the drain timeout, and exits 0) or SIGKILL (the lease
 * expires, the job is re-queued and finishes on another worker with one set of results).
 */
class WorkerSignalsTest {
  private static ItFarm farm;
  private final List<Process> children = new ArrayList<>();
  private final List<Worker> workers = new ArrayList<>();

  @BeforeAll
  static void services() {
    farm = new ItFarm();
  }

  @AfterAll
  static void close() throws Exception {
    farm.close();
  }

  @AfterEach
  void stop() {
    children.forEach(Process::destroyForcibly);
    workers.forEach(Worker::close);
  }

  private Process child(String id, long stepMillis, String... extra) throws IOException {
    Path dir = Path.of("target", "signal-test");
    Files.createDirectories(dir);
    Path config = dir.resolve(id + ".properties");
    Properties p = new Properties();
    Map<String, String> settings = farm.settings(id, extra);
    p.putAll(settings);
    try (OutputStream out = Files.newOutputStream(config)) {
      p.store(out, "worker signal test");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process proc =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-Dfarm.test.step-millis=" + stepMillis,
                TestWorkerMain.class.getName(),
                "--config",
                config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(id + ".log").toFile())
            .start();
    children.add(proc);
    return proc;
  }

  private void awaitRunningOn(UUID id, String worker) throws InterruptedException {
    await(
        "job " + id + " to run on " + worker,
        Duration.ofSeconds(90),
        () -> farm.job(id).status() == JobStatus.RUNNING && worker.equals(farm.job(id).worker()));
  }

  private int exitCode(Process p) throws InterruptedException {
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "worker process did not exit");
    return p.exitValue();
  }

  @Test
  void sigtermFinishesTheJobInFlightAndExitsZero() throws Exception {
    String w = "sig-drain-" + UUID.randomUUID().toString().substring(0, 4);
    Process p = child(w, 300, "farm.worker.drain-timeout", "60s");
    UUID id = farm.submit("drain me", 3);
    awaitRunningOn(id, w);

    p.destroy(); // SIGTERM
    assertEquals(0, exitCode(p));
    assertEquals(JobStatus.SUCCEEDED, farm.job(id).status());
    assertEquals(List.of("results/" + id + "/1/0.png"), farm.objects.list("results/" + id + "/"));
  }

  @Test
  void sigtermPastTheDrainTimeoutReleasesTheJobForAnotherWorker() throws Exception {
    String w = "sig-release-" + UUID.randomUUID().toString().substring(0, 4);
    Process p = child(w, 2000, "farm.worker.drain-timeout", "1s");
    UUID id = farm.submit("release me", 3);
    awaitRunningOn(id, w);

    p.destroy();
    assertEquals(0, exitCode(p));
    assertTrue(
        farm.store.history(id).stream().anyMatch(t -> t.event() == JobEvent.RELEASE),
        "no release recorded: " + farm.store.history(id));
    workers.add(farm.worker(w + "-next", new PngRenderer(2)));
    await(
        "the released job to succeed elsewhere",
        Duration.ofSeconds(90),
        () -> farm.job(id).status() == JobStatus.SUCCEEDED);
    assertEquals(1, farm.job(id).attempts()); // a release does not use up an attempt
    assertEquals(1, farm.objects.list("results/" + id + "/").size());
  }

  @Test
  void sigkillMidRenderIsRecoveredOnAnotherWorkerWithOneSetOfResults() throws Exception {
    String w = "sig-kill-" + UUID.randomUUID().toString().substring(0, 4);
    // -Dfarm.test.kill-lease=30s -Dfarm.test.kill-heartbeat=10s measures with the defaults
    String lease = System.getProperty("farm.test.kill-lease", "4s");
    String beat = System.getProperty("farm.test.kill-heartbeat", "1s");
    Process p = child(w, 2000, "farm.worker.lease", lease, "farm.worker.heartbeat", beat);
    UUID id = farm.submit("kill me", 3);
    awaitRunningOn(id, w);

    long killedAt = System.nanoTime();
    p.destroyForcibly(); // SIGKILL
    exitCode(p);
    workers.add(farm.worker(w + "-next", new PngRenderer(2), "farm.worker.lease", lease));
    await(
        "the killed worker's job to succeed elsewhere",
        Duration.ofSeconds(90),
        () -> farm.job(id).status() == JobStatus.SUCCEEDED);
    long recoverySeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killedAt);
    System.out.println(
        "SIGKILL recovery (lease "
            + lease
            + ", heartbeat "
            + beat
            + "): job finished "
            + recoverySeconds
            + " s after the kill");

    assertEquals(2, farm.job(id).attempts());
    assertEquals(List.of("results/" + id + "/2/0.png"), farm.objects.list("results/" + id + "/"));
    assertTrue(
        farm.store.history(id).stream().anyMatch(t -> t.event() == JobEvent.LEASE_EXPIRED),
        "no lease expiry recorded: " + farm.store.history(id));
    assertEquals(
        1, farm.store.history(id).stream().filter(t -> t.to() == JobStatus.SUCCEEDED).count());
  }
}
