package io.cascadefarm.worker;

import static io.cascadefarm.worker.ItFarm.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.job.ResultImage;
import io.cascadefarm.common.json.Json;
import io.cascadefarm.common.port.RenderListener;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.common.port.RenderedImage;
import io.cascadefarm.common.port.Renderer;
import io.cascadefarm.common.topic.JobMessage;
import io.cascadefarm.infra.kafka.KafkaDeadLetterPublisher;
import io.cascadefarm.worker.fault.PoisonRenderer;
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
 * after its attempts and lands on the dead-letter topic, and so does a job whose render never ends
 * (farm.worker.render-timeout).
 */
class WorkerIntegrationTest {
  private static ItFarm farm;

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
    farm = new ItFarm();
  }

  @AfterAll
  static void close() throws Exception {
    farm.close();
  }

  private static List<Worker> twoWorkers(Renderer r, String... extra) {
    return List.of(farm.worker("it-a", r, extra), farm.worker("it-b", r, extra));
  }

  @Test
  void jobsRenderOnceAcrossTwoWorkersAndARedeliveredMessageIsANoOp() throws Exception {
    CountingRenderer renderer = new CountingRenderer();
    List<Worker> workers = twoWorkers(renderer);
    try {
      List<UUID> ids = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        ids.add(farm.submit("job " + i, 3));
      }
      await(
          "8 jobs to succeed",
          Duration.ofSeconds(120),
          () -> ids.stream().allMatch(id -> farm.job(id).status() == JobStatus.SUCCEEDED));
      for (UUID id : ids) {
        String key = "results/" + id + "/1/0.png";
        assertEquals(List.of(key), farm.objects.list("results/" + id + "/"));
        BufferedImage img =
            ImageIO.read(new ByteArrayInputStream(farm.objects.get(key).orElseThrow()));
        assertEquals(64, img.getWidth());
        assertEquals(48, img.getHeight());
      }
      assertEquals(8, renderer.tasks.get());

      for (UUID id : ids) {
        farm.kafka.jobs().publish(new JobMessage(id, farm.job(id).params().batchKey())).join();
      }
      await("the redelivered messages to be committed", Duration.ofSeconds(60), this::committed);
      assertEquals(8, renderer.tasks.get());
      for (UUID id : ids) {
        assertEquals(JobStatus.SUCCEEDED, farm.job(id).status());
        assertEquals(1, farm.job(id).attempts());
        assertEquals(1, farm.objects.list("results/" + id + "/").size());
      }
    } finally {
      workers.forEach(Worker::close);
    }
  }

  @Test
  void eachResultRecordsTheLengthAndSha256OfItsStoredObject() throws Exception {
    Worker worker = farm.worker("it-digest", new PngRenderer(2));
    try {
      List<UUID> ids = List.of(farm.submit("digest 0", 3), farm.submit("digest 1", 3));
      await(
          "2 jobs to succeed",
          Duration.ofSeconds(120),
          () -> ids.stream().allMatch(id -> farm.job(id).status() == JobStatus.SUCCEEDED));
      for (UUID id : ids) {
        List<ResultImage> images = farm.job(id).result().images();
        assertEquals(1, images.size());
        ResultImage image = images.get(0);
        byte[] stored = farm.objects.get(image.key()).orElseThrow();
        assertEquals((long) stored.length, image.bytes());
        assertEquals(
            java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(stored)),
            image.sha256());
      }
    } finally {
      worker.close();
    }
  }

  @Test
  void aPoisonJobFailsAfterItsAttemptsAndLandsOnTheDeadLetterTopic() throws Exception {
    List<Worker> workers = twoWorkers(new PoisonRenderer(new CountingRenderer()));
    try {
      UUID poison = farm.submit("please __poison__ me", 3);
      UUID fine = farm.submit("fine", 3);
      await(
          "the poison job to fail",
          Duration.ofSeconds(120),
          () -> farm.job(poison).status() == JobStatus.FAILED);
      Job failed = farm.job(poison);
      assertEquals(3, failed.attempts());
      assertEquals("injected_fault", failed.error().code());
      await(
          "the fine job to succeed",
          Duration.ofSeconds(60),
          () -> farm.job(fine).status() == JobStatus.SUCCEEDED);
      assertTrue(
          deadLettered(poison, "injected_fault"),
          "poison job with its error header not found on " + farm.prefix + ".jobs.dlq");
    } finally {
      workers.forEach(Worker::close);
    }
  }

  /** Renders like {@link CountingRenderer}, but a batch with a __hang__ job runs until stopped. */
  private static final class HangingRenderer implements Renderer {
    final CountingRenderer normal = new CountingRenderer();

    @Override
    public List<List<RenderedImage>> render(List<RenderTask> t, RenderListener l) {
      if (t.stream().noneMatch(task -> task.params().prompt().contains("__hang__"))) {
        return normal.render(t, l);
      }
      long safety = System.nanoTime() + TimeUnit.SECONDS.toNanos(120); // ends a broken test only
      while (!l.isCancelled() && System.nanoTime() < safety) {
        l.onStep("prior", 1, 2);
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      throw new io.cascadefarm.common.port.RenderCancelledException("stopped");
    }
  }

  @Test
  void aRenderPastTheTimeoutIsRetriedThenFailsWithRenderTimeoutAndIsDeadLettered()
      throws Exception {
    HangingRenderer renderer = new HangingRenderer();
    List<Worker> workers = twoWorkers(renderer, "farm.worker.render-timeout", "300ms");
    try {
      UUID hang = farm.submit("please __hang__", 3);
      UUID fine = farm.submit("fine and quick", 3);
      await(
          "the hanging job to fail",
          Duration.ofSeconds(120),
          () -> farm.job(hang).status() == JobStatus.FAILED);
      Job failed = farm.job(hang);
      assertEquals(3, failed.attempts());
      assertEquals("render_timeout", failed.error().code());
      assertTrue(failed.error().message().contains("farm.worker.render-timeout"));
      assertTrue(farm.objects.list("results/" + hang + "/").isEmpty());
      await(
          "the fine job to succeed",
          Duration.ofSeconds(60),
          () -> farm.job(fine).status() == JobStatus.SUCCEEDED);
      assertTrue(farm.job(fine).attempts() <= 2, "a neighbour loses at most one attempt");
      double timeouts =
          workers.stream().mapToDouble(w -> w.metrics().count("farm.worker.render.timeouts")).sum();
      assertTrue(timeouts >= 3.0, "timeouts counted: " + timeouts);
      assertTrue(deadLettered(hang, "render_timeout"), "hanging job not on the DLQ");
    } finally {
      workers.forEach(Worker::close);
    }
  }

  /** Whether the workers' group committed every jobs-topic partition up to its end. */
  private boolean committed() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, farm.endpoints.kafkaBootstrapServers());
    try (Admin admin = Admin.create(p)) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(farm.prefix + "-workers")
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int i = 0; i < 3; i++) {
        latest.put(new TopicPartition(farm.prefix + ".jobs", i), OffsetSpec.latest());
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

  private static boolean deadLettered(UUID id, String code) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, farm.endpoints.kafkaBootstrapServers());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
      TopicPartition dlq = new TopicPartition(farm.prefix + ".jobs.dlq", 0);
      c.assign(List.of(dlq));
      c.seekToBeginning(List.of(dlq));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
          if (id.toString().equals(r.key())) {
            var header = r.headers().lastHeader(KafkaDeadLetterPublisher.ERROR_HEADER);
            JobError error = Json.fromBytes(header.value(), JobError.class);
            return code.equals(error.code());
          }
        }
      }
      return false;
    }
  }
}
