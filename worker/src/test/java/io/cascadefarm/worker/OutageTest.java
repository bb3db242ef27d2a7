package io.cascadefarm.worker;

import static io.cascadefarm.worker.ItFarm.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.config.DbSettings;
import io.cascadefarm.common.config.S3Settings;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.port.JobStore;
import io.cascadefarm.common.port.NewJob;
import io.cascadefarm.common.port.ObjectStore;
import io.cascadefarm.common.topic.JobMessage;
import io.cascadefarm.db.Database;
import io.cascadefarm.embedded.EmbeddedKafka;
import io.cascadefarm.embedded.EmbeddedPostgres;
import io.cascadefarm.embedded.EmbeddedS3;
import io.cascadefarm.infra.kafka.KafkaPublishers;
import io.cascadefarm.infra.kafka.KafkaTopics;
import io.cascadefarm.infra.s3.S3ObjectStore;
import io.cascadefarm.worker.testing.Fixtures;
import io.cascadefarm.worker.testing.PngRenderer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * S3, PostgreSQL and a Kafka broker of their own are taken down in the middle of a render and come
 * back 12 s later (the scenario says 30 s; 12 s keeps the build short and already spans
 * several retries and heartbeats): the job still succeeds in its first attempt, its result stored
 * once.
 */
class OutageTest {
  private static final Duration OUTAGE = Duration.ofSeconds(12);
  private static ItFarm farm;

  @BeforeAll
  static void services() {
    farm = new ItFarm();
  }

  @AfterAll
  static void close() throws Exception {
    farm.close();
  }

  /** A renderer of 10 steps of 200 ms that runs {@code outage} once, at step 5. */
  private static PngRenderer rendererWithOutageAtStep5(Runnable outage) {
    PngRenderer r = new PngRenderer(10);
    AtomicBoolean done = new AtomicBoolean();
    r.onStep(
        s -> {
          if (s == 5 && done.compareAndSet(false, true)) {
            outage.run();
          }
          sleep(200);
        });
    return r;
  }

  private static void restartLater(Runnable start) {
    Thread t =
        new Thread(
            () -> {
              sleep(OUTAGE.toMillis());
              start.run();
            },
            "outage-restart");
    t.setDaemon(true);
    t.start();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Worker worker(String id, JobStore store, ObjectStore objects, PngRenderer r) {
    Worker w =
        new Worker(
            farm.config(id),
            new WorkerPorts(store, objects, farm.kafka.events(), farm.kafka.deadLetters()),
            r);
    w.start();
    return w;
  }

  private static UUID submit(JobStore store) {
    UUID id = UUID.randomUUID();
    store.submit(new NewJob(id, "t1", Fixtures.small("outage", 64, 48), 3), null, null);
    return id;
  }

  @Test
  void anS3OutageDuringARenderIsRetriedInPlace() throws Exception {
    try (EmbeddedS3 s3 = EmbeddedS3.builder().bucket("outage").build().start();
        S3ObjectStore objects =
            S3ObjectStore.connect(
                new S3Settings(
                    s3.endpoint(),
                    s3.accessKey(),
                    s3.secretKey(),
                    s3.bucket(),
                    s3.region(),
                    Duration.ofHours(1)))) {
      PngRenderer r =
          rendererWithOutageAtStep5(
              () -> {
                s3.stop();
                restartLater(s3::start);
              });
      Worker w = worker("s3-outage", farm.store, objects, r);
      try {
        UUID id = farm.submit("s3 outage", 3);
        await(
            "the job to succeed",
            Duration.ofSeconds(120),
            () -> farm.job(id).status() == JobStatus.SUCCEEDED);
        assertEquals(1, farm.job(id).attempts());
        assertEquals(List.of("results/" + id + "/1/0.png"), objects.list("results/" + id + "/"));
        assertTrue(w.metrics().count("farm.worker.storage.retries") > 0);
      } finally {
        w.close();
      }
    }
  }

  @Test
  void aBrokerRestartDuringARenderIsSurvived() throws Exception {
    try (EmbeddedKafka broker = EmbeddedKafka.builder().build().start()) {
      String bootstrap = broker.bootstrapServers();
      var config = farm.config("kafka-outage", "farm.kafka.bootstrap-servers", bootstrap);
      KafkaTopics.ensure(bootstrap, config.kafka().topics(), 3);
      try (KafkaPublishers kafka = KafkaPublishers.create(config.kafka(), "outage-test")) {
        PngRenderer r =
            rendererWithOutageAtStep5(
                () -> {
                  broker.stop();
                  restartLater(broker::start);
                });
        Worker w =
            new Worker(
                config,
                new WorkerPorts(farm.store, farm.objects, kafka.events(), kafka.deadLetters()),
                r);
        w.start();
        try {
          UUID first = farm.submit("during the broker outage", 3);
          kafka.jobs().publish(new JobMessage(first, "k")).join();
          await(
              "the first job to succeed",
              Duration.ofSeconds(120),
              () -> farm.job(first).status() == JobStatus.SUCCEEDED);
          await("the broker to be back", Duration.ofSeconds(60), broker::isRunning);
          UUID second = farm.submit("after the broker outage", 3);
          kafka.jobs().publish(new JobMessage(second, "k")).get(60, TimeUnit.SECONDS);
          await(
              "the second job to succeed",
              Duration.ofSeconds(120),
              () -> farm.job(second).status() == JobStatus.SUCCEEDED);
          assertEquals(1, farm.job(first).attempts());
          assertEquals(1, farm.job(second).attempts());
        } finally {
          w.close();
        }
      }
    }
  }

  @Test
  void aPostgresRestartDuringARenderIsSurvived() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().build().start();
        Database db = Database.create(new DbSettings(pg.jdbcUrl(), pg.user(), pg.password(), 4))) {
      db.migrate();
      JobStore store = db.jobStore();
      PngRenderer r =
          rendererWithOutageAtStep5(
              () -> {
                pg.stop();
                restartLater(pg::start);
              });
      Worker w = worker("pg-outage", store, farm.objects, r);
      try {
        UUID id = submit(store);
        farm.kafka.jobs().publish(new JobMessage(id, "outage")).join();
        await(
            "the job to succeed",
            Duration.ofSeconds(120),
            () -> {
              try {
                return store.status(id).orElseThrow() == JobStatus.SUCCEEDED;
              } catch (RuntimeException e) {
                return false; // still down
              }
            });
        assertEquals(1, store.find(id).orElseThrow().attempts());
        assertEquals(1, farm.objects.list("results/" + id + "/").size());
      } finally {
        w.close();
      }
    }
  }
}
