package io.cascadefarm.dispatcher.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascadefarm.common.config.DispatcherConfig;
import io.cascadefarm.common.job.JobProgress;
import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.json.Json;
import io.cascadefarm.common.topic.JobEventMessage;
import io.cascadefarm.common.topic.JobMessage;
import io.cascadefarm.dispatcher.Dispatcher;
import io.cascadefarm.dispatcher.Dispatchers;
import io.cascadefarm.embedded.ServiceEndpoints;
import io.cascadefarm.embedded.TestServices;
import io.cascadefarm.infra.kafka.KafkaEventPublisher;
import io.cascadefarm.infra.kafka.KafkaProducers;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dispatcher wired by {@link Dispatchers} on the real embedded PostgreSQL, Kafka and S3. */
class DispatcherIntegrationTest {
  static ServiceEndpoints endpoints;
  static DispatcherConfig config;
  static Dispatcher dispatcher;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    endpoints = TestServices.endpoints();
    config = RealFarm.config(endpoints, Map.of());
    dispatcher = Dispatchers.fromConfig(config);
    dispatcher.start();
  }

  @AfterAll
  static void stop() {
    if (dispatcher != null) {
      dispatcher.close();
    }
  }

  static HttpResponse<String> send(String method, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(dispatcher.baseUrl() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return Json.mapper().readTree(r.body());
  }

  @Test
  void batchRowsAreCommittedAndTheOutboxIsPublishedToKafka() throws Exception {
    StringBuilder nd = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      nd.append("{\"prompt\":\"job ")
          .append(i)
          .append("\",\"model\":\"tiny\",\"width\":256,\"height\":256}\n");
    }
    HttpResponse<String> r =
        send("POST", "/v1/batches", nd.toString(), "Content-Type", "application/x-ndjson");
    assertEquals(202, r.statusCode(), r.body());
    String batch = json(r).path("id").asText();
    Set<String> ids = new HashSet<>();
    String after = "";
    do {
      JsonNode page = json(send("GET", "/v1/batches/" + batch + "/jobs?limit=20" + after, null));
      page.path("jobs").forEach(j -> ids.add(j.path("id").asText()));
      after = page.hasNonNull("next") ? "&after=" + page.path("next").asText() : null;
    } while (after != null);
    assertEquals(50, ids.size());
    Set<String> seen = new HashSet<>();
    try (KafkaConsumer<String, byte[]> c = consumer()) {
      c.subscribe(List.of(config.kafka().topics().jobs()));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!seen.containsAll(ids) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> rec : c.poll(Duration.ofMillis(500))) {
          JobMessage m = Json.fromBytes(rec.value(), JobMessage.class);
          assertEquals(rec.key(), m.jobId().toString(), "record key is the job id");
          if (ids.contains(rec.key())) {
            assertTrue(
                m.batchKey().contains("tiny") && m.batchKey().contains("256x256"), m.batchKey());
            seen.add(rec.key());
          }
        }
      }
    }
    assertTrue(seen.containsAll(ids), "published " + seen.size() + " of 50");
    waitForEmptyOutbox(ids);
    JsonNode counts = json(send("GET", "/v1/batches/" + batch, null)).path("counts");
    assertEquals(50, counts.path("queued").asInt());
  }

  static void waitForEmptyOutbox(Set<String> ids) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    int left;
    do {
      try (Connection c =
              DriverManager.getConnection(
                  endpoints.jdbcUrl(), endpoints.dbUser(), endpoints.dbPassword());
          ResultSet rs = c.createStatement().executeQuery("SELECT job_id FROM outbox")) {
        left = 0;
        while (rs.next()) {
          left += ids.contains(rs.getString(1)) ? 1 : 0;
        }
      }
      if (left > 0) {
        Thread.sleep(100);
      }
    } while (left > 0 && System.nanoTime() < deadline);
    assertEquals(0, left, "outbox rows of the batch deleted after the broker acknowledged");
  }

  @Test
  void singleJobIdempotencyUploadsAndReadinessOnRealServices() throws Exception {
    String key = "it-" + UUID.randomUUID();
    HttpResponse<String> a =
        send("POST", "/v1/jobs", "{\"prompt\":\"fox\",\"model\":\"tiny\"}", "Idempotency-Key", key);
    HttpResponse<String> b =
        send("POST", "/v1/jobs", "{\"prompt\":\"fox\",\"model\":\"tiny\"}", "Idempotency-Key", key);
    HttpResponse<String> c =
        send("POST", "/v1/jobs", "{\"prompt\":\"cat\",\"model\":\"tiny\"}", "Idempotency-Key", key);
    assertEquals(202, a.statusCode(), a.body());
    assertEquals(json(a).path("id"), json(b).path("id"));
    assertEquals(409, c.statusCode(), c.body());
    assertEquals(404, send("GET", "/v1/jobs/" + UUID.randomUUID(), null).statusCode());
    byte[] png = pngBytes();
    HttpResponse<String> up =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(dispatcher.baseUrl() + "/v1/uploads"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(png))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(201, up.statusCode(), up.body());
    String image = json(up).path("image").asText();
    HttpResponse<String> variation =
        send("POST", "/v1/jobs", "{\"kind\":\"image_variation\",\"image\":\"" + image + "\"}");
    assertEquals(202, variation.statusCode(), variation.body());
    HttpResponse<String> ready = send("GET", "/readyz", null);
    assertEquals(200, ready.statusCode(), ready.body());
    assertEquals("ok", json(ready).path("checks").path("kafka").asText());
  }

  @Test
  void sseRelaysEventsFromTheKafkaEventsTopic() throws Exception {
    String id =
        json(send("POST", "/v1/jobs", "{\"prompt\":\"sse\",\"model\":\"tiny\"}"))
            .path("id")
            .asText();
    HttpResponse<InputStream> resp =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(dispatcher.baseUrl() + "/v1/events?job=" + id))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader in =
            new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8));
        Producer<String, byte[]> producer =
            KafkaProducers.create(endpoints.kafkaBootstrapServers(), "it-events")) {
      assertTrue(in.readLine().startsWith("retry:"));
      in.readLine();
      assertEquals("event: snapshot", in.readLine());
      KafkaEventPublisher events =
          new KafkaEventPublisher(producer, config.kafka().topics().events());
      UUID job = UUID.fromString(id);
      // the consumer group starts at the latest offset: publish until the stream shows an event
      Thread pump =
          new Thread(
              () -> {
                for (int step = 1; step <= 200 && !Thread.currentThread().isInterrupted(); step++) {
                  events.publish(
                      new JobEventMessage(
                          "progress",
                          job,
                          null,
                          "default",
                          JobStatus.RUNNING,
                          new JobProgress("prior", step, 200),
                          null,
                          "w",
                          Instant.now()));
                  producer.flush();
                  try {
                    Thread.sleep(250);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      pump.start();
      try {
        String line;
        while ((line = in.readLine()) != null && !line.startsWith("event: progress")) {
          // skip snapshot data and blank lines
        }
        assertEquals("event: progress", line);
        String data = in.readLine();
        assertTrue(data.contains(id) && data.contains("\"stage\":\"prior\""), data);
      } finally {
        pump.interrupt();
      }
    }
  }

  static KafkaConsumer<String, byte[]> consumer() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
  }

  static byte[] pngBytes() throws Exception {
    java.awt.image.BufferedImage img =
        new java.awt.image.BufferedImage(32, 32, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "png", out);
    return out.toByteArray();
  }
}
