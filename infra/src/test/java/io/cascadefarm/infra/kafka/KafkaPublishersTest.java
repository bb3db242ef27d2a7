package io.cascadefarm.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.config.KafkaSettings;
import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.job.JobProgress;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.json.Json;
import io.cascadefarm.common.topic.JobEventMessage;
import io.cascadefarm.common.topic.JobMessage;
import io.cascadefarm.common.topic.Topics;
import io.cascadefarm.embedded.EmbeddedKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KafkaPublishersTest {
  private static EmbeddedKafka kafka;
  private static int prefixCounter;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.builder().build().start();
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  private static Topics freshTopics() {
    return Topics.withPrefix("t" + (++prefixCounter));
  }

  @Test
  void ensureCreatesMissingTopicsOnceWithThePartitionCounts() throws Exception {
    Topics topics = freshTopics();
    List<String> created = KafkaTopics.ensure(kafka.bootstrapServers(), topics, 12);
    assertEquals(
        List.of(
            topics.jobs(),
            topics.events(),
            topics.retries(),
            topics.high(),
            topics.low(),
            topics.train(),
            topics.deadLetter()),
        created);
    assertTrue(KafkaTopics.ensure(kafka.bootstrapServers(), topics, 12).isEmpty());
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      Map<String, TopicDescription> d =
          admin
              .describeTopics(
                  List.of(topics.jobs(), topics.events(), topics.deadLetter(), topics.retries()))
              .allTopicNames()
              .get();
      assertEquals(12, d.get(topics.jobs()).partitions().size());
      assertEquals(12, d.get(topics.events()).partitions().size());
      assertEquals(1, d.get(topics.deadLetter()).partitions().size());
      assertEquals(12, d.get(topics.retries()).partitions().size());
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> KafkaTopics.ensure(kafka.bootstrapServers(), topics, 0));
  }

  @Test
  void jobsAreKeyedByIdAndCarryTheirJson() {
    Topics topics = freshTopics();
    KafkaTopics.ensure(kafka.bootstrapServers(), topics, 4);
    List<JobMessage> sent = new ArrayList<>();
    try (KafkaPublishers publishers = create(topics)) {
      List<CompletableFuture<Void>> acks = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        JobMessage m = new JobMessage(UUID.randomUUID(), "text_to_image|lite|" + i);
        sent.add(m);
        acks.add(publishers.jobs().publish(m));
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
      publishers.jobs().publish(sent.get(0)).join(); // a duplicate, as the relay may send
    }
    List<ConsumerRecord<String, byte[]>> records = consume(topics.jobs(), 21);
    Map<String, Integer> partitionOfKey = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : records) {
      JobMessage m = Json.fromBytes(r.value(), JobMessage.class);
      assertEquals(m.jobId().toString(), r.key());
      assertTrue(sent.contains(m));
      Integer before = partitionOfKey.put(r.key(), r.partition());
      assertTrue(before == null || before == r.partition(), "one job, one partition");
    }
    assertEquals(20, partitionOfKey.size());
  }

  @Test
  void deadLettersCarryTheFinalErrorAsAHeader() {
    Topics topics = freshTopics();
    KafkaTopics.ensure(kafka.bootstrapServers(), topics, 2);
    JobMessage m = new JobMessage(UUID.randomUUID(), "k");
    JobError error = new JobError("render_error", "out of memory", true);
    try (KafkaPublishers publishers = create(topics)) {
      publishers.deadLetters().publish(m, error).join();
      publishers.deadLetters().publish(m).join();
    }
    List<ConsumerRecord<String, byte[]>> records = consume(topics.deadLetter(), 2);
    Header header = records.get(0).headers().lastHeader(KafkaDeadLetterPublisher.ERROR_HEADER);
    assertEquals(error, Json.fromBytes(header.value(), JobError.class));
    assertEquals(m, Json.fromBytes(records.get(0).value(), JobMessage.class));
    assertNull(records.get(1).headers().lastHeader(KafkaDeadLetterPublisher.ERROR_HEADER));
  }

  @Test
  void eventsArePublishedAsJson() {
    Topics topics = freshTopics();
    KafkaTopics.ensure(kafka.bootstrapServers(), topics, 2);
    JobEventMessage event =
        new JobEventMessage(
            JobEventMessage.PROGRESS,
            UUID.randomUUID(),
            UUID.randomUUID(),
            "acme",
            JobStatus.RUNNING,
            new JobProgress("prior", 5, 20),
            null,
            "w1",
            Instant.parse("2026-11-26T12:00:00Z"));
    try (KafkaPublishers publishers = create(topics)) {
      publishers.events().publish(event);
      publishers.producer().flush();
    }
    ConsumerRecord<String, byte[]> r = consume(topics.events(), 1).get(0);
    assertEquals(event.jobId().toString(), r.key());
    assertEquals(event, Json.fromBytes(r.value(), JobEventMessage.class));
  }

  private static KafkaPublishers create(Topics topics) {
    return KafkaPublishers.create(
        new KafkaSettings(kafka.bootstrapServers(), topics, 4), "infra-test");
  }

  private static List<ConsumerRecord<String, byte[]>> consume(String topic, int expected) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "infra-test-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    assertEquals(expected, out.size(), "records on " + topic);
    return out;
  }
}
