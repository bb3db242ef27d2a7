package io.cascadefarm.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.config.ConfigSource;
import io.cascadefarm.common.config.WorkerConfig;
import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobDefaults;
import io.cascadefarm.common.port.NewJob;
import io.cascadefarm.common.port.Renderer;
import io.cascadefarm.db.Database;
import io.cascadefarm.db.JdbcJobStore;
import io.cascadefarm.embedded.ServiceEndpoints;
import io.cascadefarm.embedded.TestServices;
import io.cascadefarm.infra.kafka.KafkaPublishers;
import io.cascadefarm.infra.kafka.KafkaTopics;
import io.cascadefarm.infra.s3.S3ObjectStore;
import io.cascadefarm.worker.testing.Fixtures;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The real services for worker integration tests: the shared embedded Kafka/PostgreSQL/S3, a topic
 * prefix and consumer group of its own, the adapters, and a test relay+reaper standing in for the
 * dispatcher.
 */
final class ItFarm implements AutoCloseable {
  final String prefix = "wit" + UUID.randomUUID().toString().substring(0, 8);
  final ServiceEndpoints endpoints = TestServices.endpoints();
  final Database db;
  final JdbcJobStore store;
  final S3ObjectStore objects;
  final KafkaPublishers kafka;
  private final TestRelay relay;

  ItFarm() {
    WorkerConfig c = config("setup");
    db = Database.create(c.db());
    db.migrate();
    store = db.jobStore();
    objects = S3ObjectStore.connect(c.s3());
    KafkaTopics.ensure(c.kafka().bootstrapServers(), c.kafka().topics(), 3);
    kafka = KafkaPublishers.create(c.kafka(), prefix + "-test");
    relay = new TestRelay(store, kafka.jobs());
  }

  /** The settings of this farm plus worker defaults suited to tests, then {@code extra}. */
  Map<String, String> settings(String workerId, String... extra) {
    Map<String, String> m = new HashMap<>();
    endpoints.toProperties().forEach((k, v) -> m.put((String) k, (String) v));
    m.put("farm.kafka.topic-prefix", prefix);
    m.put("farm.kafka.job-partitions", "3");
    m.put("farm.worker.id", workerId);
    m.put("farm.worker.group", prefix + "-workers");
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
    return m;
  }

  WorkerConfig config(String workerId, String... extra) {
    return WorkerConfig.from(ConfigSource.of(settings(workerId, extra)));
  }

  Worker worker(String id, Renderer renderer, String... extra) {
    Worker w =
        new Worker(
            config(id, extra),
            new WorkerPorts(store, objects, kafka.events(), kafka.deadLetters()),
            renderer);
    w.start();
    return w;
  }

  UUID submit(String prompt, int maxAttempts) {
    UUID id = UUID.randomUUID();
    store.submit(
        new NewJob(
            id, "t1", JobDefaults.resolve(Fixtures.small(prompt, 64, 48), () -> 1L), maxAttempts),
        null,
        null);
    return id;
  }

  Job job(UUID id) {
    return store.find(id).orElseThrow();
  }

  static void await(String what, Duration limit, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      Thread.sleep(100);
    }
  }

  @Override
  public void close() throws Exception {
    relay.close();
    kafka.close();
    objects.close();
    db.close();
  }
}
