package io.cascadefarm.dispatcher.events;

import io.cascadefarm.common.json.Json;
import io.cascadefarm.common.topic.JobEventMessage;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the events topic on its own thread. Every dispatcher instance uses a fresh group id
 * ({@code farm-dispatcher-events-<uuid>}) starting at the latest offset, so each instance sees
 * every event (fan-out, not work sharing). Malformed records are skipped. When Kafka is down the
 * consumer keeps retrying; SSE clients still get their snapshot from the store.
 */
public final class KafkaEventSource implements JobEventSource {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaEventSource.class);
  private final String bootstrap;
  private final String topic;
  private volatile boolean running;
  private Thread thread;
  private KafkaConsumer<String, byte[]> consumer;

  public KafkaEventSource(String bootstrapServers, String eventsTopic) {
    this.bootstrap = bootstrapServers;
    this.topic = eventsTopic;
  }

  @Override
  public synchronized void start(Consumer<JobEventMessage> sink) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "farm-dispatcher-events-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "farm-dispatcher-events");
    consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    running = true;
    thread = new Thread(() -> loop(sink), "dispatcher-events");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop(Consumer<JobEventMessage> sink) {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          deliver(r, sink);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("events consumer stopped", e);
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private static void deliver(ConsumerRecord<String, byte[]> r, Consumer<JobEventMessage> sink) {
    try {
      if (r.value() != null) {
        sink.accept(Json.fromBytes(r.value(), JobEventMessage.class));
      }
    } catch (RuntimeException e) {
      LOG.warn("skipping malformed event at offset {}: {}", r.offset(), e.toString());
    }
  }

  @Override
  public synchronized void close() {
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
    if (thread != null) {
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
