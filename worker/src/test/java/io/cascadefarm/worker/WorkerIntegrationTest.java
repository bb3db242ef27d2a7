package io.cascadefarm.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobDefaults;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.port.NewJob;
import io.cascadefarm.common.port.RenderListener;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.common.port.RenderedImage;
import io.cascadefarm.common.port.Renderer;
import io.cascadefarm.common.topic.JobMessage;
import io.cascadefarm.db.Database;
import io.cascadefarm.db.JdbcJobStore;
import io.cascadefarm.embedded.ServiceEndpoints;
import io.cascadefarm.embedded.TestServices;
import io.cascadefarm.infra.kafka.KafkaPublishers;
import io.cascadefarm.infra.kafka.KafkaTopics;
import io.cascadefarm.infra.s3.S3ObjectStore;
import io.cascadefarm.worker.testing.Fixtures;
import io.cascadefarm.worker.testing.PngRenderer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Workers with a PNG-drawing renderer against the real embedded Kafka, PostgreSQL and S3: jobs are
 * rendered and stored exactly once, a redelivered message is a no-op, a poison job ends failed
 * after its attempts and lands on the dead-letter topic.
 */
class WorkerIntegrationTest {
  private static final String PREFIX = "wit" + UUID.randomUUID().toString().substring(0, 8);
  private static ServiceEndpoints endpoints;
  private static Database db;
  private static JdbcJobStore store;
  private static S3ObjectStore objects;
  private static KafkaPublishers kafka;
  private static TestRelay relay;

  /** Counts the tasks it renders. */
  private static final class CountingRenderer implements Renderer {
    final AtomicInteger tasks = new AtomicInteger();
    final PngRenderer png = new PngRenderer(2);

    @Override
    public List<List<RenderedImage>> render(List<RenderTask> t, RenderListener l) {
      tasks.addAndGet(t.size());
      return png.render(t, l);
    }
  }

  @BeforeAll
  static void services() {
    endpoints = TestServices.endpoints();
    WorkerConfig c = config("setup");
    db = Database.create(c.db());
    db.migrate();
    store = db.jobStore();
    objects = S3ObjectStore.connect(c.s3());
    KafkaTopics.ensure(c.kafka().bootstrapServers(), c.kafka().topics(), 3);
    kafka = KafkaPublishers.create(c.kafka(), "worker-it");
    relay = new TestRelay(store, kafka.jobs());
  }

  @AfterAll
  static void close() throws Exception {
    relay.close();
    kafka.close();
    objects.close();
    db.close();
  }

  private static WorkerConfig config(String id, String... extra) {
    Map<String, String> m = new HashMap<>();
    endpoints.toProperties().forEach((k, v) -> m.put((String) k, (String) v));
    m.put("farm.kafka.topic-prefix", PREFIX);
    m.put("farm.kafka.job-partitions", "3");
    m.put("farm.worker.id", id);
    m.put("farm.worker.group", PREFIX + "-workers");
    m.put("farm.worker.batch-size", "3");
    m.put("farm.worker.batch-wait", "300ms");
    m.put("farm.worker.lease", "15s");
    m.put("farm.worker.heartbeat", "2s");
    m.put("farm.worker.drain-timeout", "20s");
    m.put("farm.worker.retry-backoff", "100ms");
    m.put("farm.worker.retry-backoff-max", "400ms");
    for (int i = 0; i < extra.length; i += 2) {
      m.put(extra[i], extra[i + 1]);
    }
    return WorkerConfig.from(ConfigSource.of(m));
  }

  private static List<Worker> workers(Renderer r, String... extra) {
    List<Worker> list = new ArrayList<>();
    for (String id : List.of("it-a", "it-b")) {
      Worker w =
          new Worker(
              config(id, extra),
              new WorkerPorts(store, objects, kafka.events(), kafka.deadLetters()),
              r);
      w.start();
      list.add(w);
    }
    return list;
  }

  private static UUID submit(String prompt, int maxAttempts) {
    UUID id = UUID.randomUUID();
    store.submit(
        new NewJob(
            id, "t1", JobDefaults.resolve(Fixtures.small(prompt, 64, 48), () -> 1L), maxAttempts),
        null,
        null);
    return id;
  }

  private static Job job(UUID id) {
    return store.find(id).orElseThrow();
  }

  private static void await(String what, Duration limit, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      Thread.sleep(100);
    }
  }

  @Test
  void jobsRenderOnceAcrossTwoWorkersAndARedeliveredMessageIsANoOp() throws Exception {
    CountingRenderer renderer = new CountingRenderer();
    List<Worker> workers = workers(renderer);
    try {
      List<UUID> ids = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        ids.add(submit("job " + i, 3));
      }
      await(
          "8 jobs to succeed",
          Duration.ofSeconds(120),
          () -> ids.stream().allMatch(id -> job(id).status() == JobStatus.SUCCEEDED));
      for (UUID id : ids) {
        assertEquals(List.of("results/" + id + "/1/0.png"), objects.list("results/" + id + "/"));
        BufferedImage img =
            ImageIO.read(new ByteArrayInputStream(objects.get("results/" + id + "/1/0.png").get()));
        assertEquals(64, img.getWidth());
        assertEquals(48, img.getHeight());
      }
      assertEquals(8, renderer.tasks.get());

      for (UUID id : ids) {
        kafka.jobs().publish(new JobMessage(id, job(id).params().batchKey())).join();
      }
      await("the redelivered messages to be committed", Duration.ofSeconds(60), this::allCommitted);
      assertEquals(8, renderer.tasks.get());
      for (UUID id : ids) {
        assertEquals(JobStatus.SUCCEEDED, job(id).status());
        assertEquals(1, job(id).attempts());
        assertEquals(1, objects.list("results/" + id + "/").size());
      }
    } finally {
      workers.forEach(Worker::close);
    }
  }

  @Test
  void aPoisonJobFailsAfterItsAttemptsAndLandsOnTheDeadLetterTopic() throws Exception {
    List<Worker> workers = workers(new CountingRenderer(), "farm.worker.fault-injection", "true");
    try {
      UUID poison = submit("please __poison__ me", 3);
      UUID fine = submit("fine", 3);
      await(
          "the poison job to fail",
          Duration.ofSeconds(120),
          () -> job(poison).status() == JobStatus.FAILED);
      Job failed = job(poison);
      assertEquals(3, failed.attempts());
      assertEquals("injected_fault", failed.error().code());
      await(
          "the fine job to succeed",
          Duration.ofSeconds(60),
          () -> job(fine).status() == JobStatus.SUCCEEDED);
      assertTrue(deadLettered(poison), "poison job not found on " + PREFIX + ".jobs.dlq");
    } finally {
      workers.forEach(Worker::close);
    }
  }

  private boolean allCommitted() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrapServers());
    try (Admin admin = Admin.create(p)) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(PREFIX + "-workers")
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int i = 0; i < 3; i++) {
        latest.put(new TopicPartition(PREFIX + ".jobs", i), OffsetSpec.latest());
      }
      var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
      return ends.entrySet().stream()
          .allMatch(
              e -> {
                OffsetAndMetadata c = committed.get(e.getKey());
                long end = e.getValue().offset();
                return end == 0 || (c != null && c.offset() == end);
              });
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean deadLettered(UUID id) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrapServers());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
      TopicPartition dlq = new TopicPartition(PREFIX + ".jobs.dlq", 0);
      c.assign(List.of(dlq));
      c.seekToBeginning(List.of(dlq));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
          if (id.toString().equals(r.key())) {
            return true;
          }
        }
      }
      return false;
    }
  }
}
