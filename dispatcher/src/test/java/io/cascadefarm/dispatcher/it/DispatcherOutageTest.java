package io.cascadefarm.dispatcher.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.common.json.Json;
import io.cascadefarm.dispatcher.Dispatcher;
import io.cascadefarm.dispatcher.Dispatchers;
import io.cascadefarm.embedded.EmbeddedKafka;
import io.cascadefarm.embedded.EmbeddedPostgres;
import io.cascadefarm.embedded.ServiceEndpoints;
import io.cascadefarm.embedded.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher on its own PostgreSQL and Kafka, which the test stops and restarts: jobs submitted
 * while Kafka is down are accepted and reach Kafka when it returns; while PostgreSQL is down the
 * API answers 503 with Retry-After, and recovers by itself.
 */
class DispatcherOutageTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void kafkaAndPostgresOutages() throws Exception {
    ServiceEndpoints shared = TestServices.endpoints();
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().build().start();
        EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
      DispatcherConfig config =
          RealFarm.config(
              shared,
              Map.of(
                  "farm.db.url", pg.jdbcUrl(),
                  "farm.db.user", pg.user(),
                  "farm.db.password", pg.password(),
                  "farm.kafka.bootstrap-servers", kafka.bootstrapServers()));
      try (Dispatcher d = Dispatchers.fromConfig(config)) {
        d.start();
        kafkaDown(d, kafka, pg, config);
        postgresDown(d, pg);
      }
    }
  }

  private void kafkaDown(
      Dispatcher d, EmbeddedKafka kafka, EmbeddedPostgres pg, DispatcherConfig config)
      throws Exception {
    kafka.stop();
    HttpResponse<String> r =
        send(
            d,
            "POST",
            "/v1/batches",
            "{\"jobs\":["
                + "{\"prompt\":\"k\",\"model\":\"tiny\"},".repeat(19)
                + "{\"prompt\":\"k\"}]}");
    assertEquals(202, r.statusCode(), r.body());
    // Kafka down is a documented degraded mode (202, jobs wait in the outbox): still ready, so
    // the readiness probe does not take every dispatcher out of the load balancer
    HttpResponse<String> ready = send(d, "GET", "/readyz", null);
    assertEquals(200, ready.statusCode(), ready.body());
    JsonNode readiness = Json.mapper().readTree(ready.body());
    assertEquals("unavailable", readiness.path("checks").path("kafka").asText(), ready.body());
    assertEquals("kafka", readiness.path("degraded").path(0).asText(), ready.body());
    assertEquals(20, outboxRows(pg), "accepted jobs wait in the outbox");
    kafka.start();
    String batch = Json.mapper().readTree(r.body()).path("id").asText();
    Set<String> ids = new HashSet<>();
    Json.mapper()
        .readTree(send(d, "GET", "/v1/batches/" + batch + "/jobs", null).body())
        .path("jobs")
        .forEach(j -> ids.add(j.path("id").asText()));
    assertEquals(20, ids.size());
    Set<String> seen = new HashSet<>();
    try (KafkaConsumer<String, byte[]> c = consumer(kafka.bootstrapServers())) {
      c.subscribe(List.of(config.kafka().topics().jobs()));
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (!seen.containsAll(ids) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> rec : c.poll(Duration.ofMillis(500))) {
          seen.add(rec.key());
        }
      }
    }
    assertTrue(
        seen.containsAll(ids),
        "after Kafka returned, " + seen.size() + " of 20 jobs were published");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (outboxRows(pg) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertEquals(0, outboxRows(pg));
  }

  private void postgresDown(Dispatcher d, EmbeddedPostgres pg) throws Exception {
    pg.stop();
    for (HttpResponse<String> r :
        List.of(
            send(d, "POST", "/v1/jobs", "{\"prompt\":\"p\"}"),
            send(d, "GET", "/v1/jobs/" + UUID.randomUUID(), null),
            send(d, "POST", "/v1/batches", "{\"jobs\":[{\"prompt\":\"p\"}]}"))) {
      assertEquals(503, r.statusCode(), r.body());
      assertNotNull(r.headers().firstValue("Retry-After").orElse(null));
      assertEquals(
          "store_unavailable",
          Json.mapper().readTree(r.body()).path("error").path("code").asText());
    }
    assertEquals(503, send(d, "GET", "/readyz", null).statusCode());
    pg.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    int status;
    do {
      status = send(d, "POST", "/v1/jobs", "{\"prompt\":\"back\"}").statusCode();
    } while (status != 202 && System.nanoTime() < deadline);
    assertEquals(202, status, "the dispatcher reconnects by itself");
  }

  static int outboxRows(EmbeddedPostgres pg) throws Exception {
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM outbox")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  static HttpResponse<String> send(Dispatcher d, String method, String path, String body)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(d.baseUrl() + path))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "outage-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
  }
}
