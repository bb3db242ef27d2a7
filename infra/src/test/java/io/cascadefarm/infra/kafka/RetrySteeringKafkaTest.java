package io.cascadefarm.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.topic.JobMessage;
import io.cascadefarm.common.topic.Topics;
import io.cascadefarm.common.topic.WorkerClientIds;
import io.cascadefarm.embedded.EmbeddedKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On a real broker with two "workers" (consumers named like workers, subscribed to the jobs topic
 * and the retry lane) in one group: the publisher reads the group's assignment of the lane and
 * sends every retry of a job worker {@code a} claimed to a lane partition worker {@code b}
 * consumes, and {@code b} receives them all.
 */
class RetrySteeringKafkaTest {
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.builder().build().start();
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  private static KafkaConsumer<String, byte[]> worker(String id, String group, Topics topics) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, WorkerClientIds.of(id));
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p);
    c.subscribe(List.of(topics.jobs(), topics.retries()));
    return c;
  }

  @Test
  void retriesOfAJobWorkerAClaimedReachWorkerB() {
    Topics topics = Topics.withPrefix("steer");
    KafkaTopics.ensure(kafka.bootstrapServers(), topics, 6);
    String group = "steer-workers";
    try (KafkaConsumer<String, byte[]> a = worker("a", group, topics);
        KafkaConsumer<String, byte[]> b = worker("b", group, topics);
        WorkerAssignments assignments =
            WorkerAssignments.connect(kafka.bootstrapServers(), group, topics.retries());
        KafkaPublishers publishers =
            new KafkaPublishers(
                KafkaProducers.create(kafka.bootstrapServers(), "steer-test"), topics)) {
      Instant limit = Instant.now().plusSeconds(60);
      while (a.assignment().isEmpty() || b.assignment().isEmpty()) {
        assertTrue(Instant.now().isBefore(limit), "the group never gave both workers partitions");
        a.poll(Duration.ofMillis(100));
        b.poll(Duration.ofMillis(100));
      }
      Map<String, List<Integer>> seen = Map.of();
      while (seen.getOrDefault("a", List.of()).size() + seen.getOrDefault("b", List.of()).size()
          < 6) {
        assertTrue(Instant.now().isBefore(limit), "assignment never described: " + seen);
        a.poll(Duration.ofMillis(100));
        b.poll(Duration.ofMillis(100));
        seen = assignments.current();
      }
      Set<Integer> ofB = new HashSet<>(seen.get("b"));
      assertEquals(partitions(b.assignment(), topics.retries()), ofB);

      publishers.jobs().steeringRetriesBy(() -> assignments.current());
      List<UUID> retries = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        UUID job = UUID.randomUUID();
        retries.add(job);
        publishers.jobs().publish(new JobMessage(job, "k", List.of("a"))).join();
      }
      Set<UUID> atB = new HashSet<>();
      int atA = 0;
      while (atB.size() < retries.size() && Instant.now().isBefore(limit)) {
        atA += a.poll(Duration.ofMillis(100)).count();
        for (ConsumerRecord<String, byte[]> r : b.poll(Duration.ofMillis(100))) {
          assertEquals(topics.retries(), r.topic(), "a retry goes to the retry lane");
          assertTrue(ofB.contains(r.partition()), "record on partition " + r.partition());
          atB.add(UUID.fromString(r.key()));
        }
      }
      assertEquals(new HashSet<>(retries), atB, "every retry reached worker b");
      assertEquals(0, atA, "worker a, which claimed the jobs before, got none of the retries");
    }
  }

  private static Set<Integer> partitions(Set<TopicPartition> tps, String topic) {
    Set<Integer> out = new HashSet<>();
    tps.stream().filter(tp -> tp.topic().equals(topic)).forEach(tp -> out.add(tp.partition()));
    return out;
  }
}
