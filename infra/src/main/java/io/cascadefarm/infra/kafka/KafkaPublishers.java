package io.cascadefarm.infra.kafka;

import io.cascadefarm.common.config.KafkaSettings;
import io.cascadefarm.common.topic.Topics;
import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;

/**
 * The three publishers of a process on one shared idempotent producer. Closing it flushes pending
 * records (up to 10 s) and closes the producer.
 *
 * <pre>{@code
 * try (KafkaPublishers kafka = KafkaPublishers.create(settings, "dispatcher-1")) {
 *   kafka.jobs().publish(new JobMessage(id, key)).join();
 * }
 * }</pre>
 */
public final class KafkaPublishers implements AutoCloseable {
  private final Producer<String, byte[]> producer;
  private final KafkaJobPublisher jobs;
  private final KafkaDeadLetterPublisher deadLetters;
  private final KafkaEventPublisher events;

  public KafkaPublishers(Producer<String, byte[]> producer, Topics topics) {
    this.producer = producer;
    this.jobs =
        new KafkaJobPublisher(producer, topics.jobs(), topics.retries())
            .routingPrioritiesBy(topics)
            .routingTrainingTo(topics.train());
    this.deadLetters = new KafkaDeadLetterPublisher(producer, topics.deadLetter());
    this.events = new KafkaEventPublisher(producer, topics.events());
  }

  public static KafkaPublishers create(KafkaSettings settings, String clientId) {
    return new KafkaPublishers(
        KafkaProducers.create(settings.bootstrapServers(), clientId), settings.topics());
  }

  public KafkaJobPublisher jobs() {
    return jobs;
  }

  public KafkaDeadLetterPublisher deadLetters() {
    return deadLetters;
  }

  public KafkaEventPublisher events() {
    return events;
  }

  public Producer<String, byte[]> producer() {
    return producer;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
