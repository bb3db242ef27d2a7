package io.cascadefarm.dispatcher.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.json.Json;
import io.cascadefarm.common.topic.JobMessage;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Priorities from the API to Kafka: the outbox relay publishes each job on its lane's topic ({@code
 * <jobs>.high}, {@code <jobs>}, {@code <jobs>.low}), a batch's priority applying to the jobs that
 * set none.
 */
class PriorityRoutingIntegrationTest {
  static ScaleFarm farm;

  @BeforeAll
  static void start() {
    farm = new ScaleFarm(Map.of());
  }

  @AfterAll
  static void stop() {
    if (farm != null) {
      farm.close();
    }
  }

  @Test
  void eachJobIsPublishedOnItsLanesTopic() {
    String key = farm.newKey();
    Map<String, String> expected = new HashMap<>();
    for (String p : List.of("high", "normal", "low")) {
      ScaleFarm.Answer a =
          farm.send(
              key, "POST", "/v1/jobs", "{\"prompt\":\"" + p + "\",\"priority\":\"" + p + "\"}");
      assertEquals(202, a.status(), a.text());
      expected.put(a.json().path("id").asText(), p);
    }
    ScaleFarm.Answer b =
        farm.send(
            key,
            "POST",
            "/v1/batches",
            "{\"priority\":\"high\",\"jobs\":[{\"prompt\":\"b\"},{\"prompt\":\"c\",\"priority\":\"low\"}]}");
    assertEquals(202, b.status(), b.text());
    List<String> batchJobs = farm.jobIds(key, b.json().path("id").asText());
    expected.put(batchJobs.get(0), "high");
    expected.put(batchJobs.get(1), "low");
    ScaleFarm.Answer bad =
        farm.send(key, "POST", "/v1/jobs", "{\"prompt\":\"x\",\"priority\":\"urgent\"}");
    assertEquals(400, bad.status());
    assertTrue(bad.text().contains("priority"), bad.text());

    var topics = farm.config.kafka().topics();
    Map<String, String> laneOf =
        Map.of(topics.high(), "high", topics.jobs(), "normal", topics.low(), "low");
    Map<String, String> seen = new HashMap<>();
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, farm.config.kafka().bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "priority-routing-test");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.copyOf(laneOf.keySet()));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (seen.size() < expected.size() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
          JobMessage m = Json.fromBytes(r.value(), JobMessage.class);
          if (expected.containsKey(m.jobId().toString())) {
            seen.put(m.jobId().toString(), laneOf.get(r.topic()));
          }
        }
      }
    }
    assertEquals(expected, seen);
  }
}
