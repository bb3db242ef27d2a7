package io.cascadefarm.infra.kafka;

import io.cascadefarm.common.json.Json;
import io.cascadefarm.common.port.EventPublisher;
import io.cascadefarm.common.topic.JobEventMessage;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes progress and status events (key = job id) to the events topic. Best effort, as the port
 * says: the call never blocks on the broker and a failed send is only logged.
 */
public final class KafkaEventPublisher implements EventPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaEventPublisher.class);

  private final Producer<String, byte[]> producer;
  private final String topic;

  public KafkaEventPublisher(Producer<String, byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  @Override
  public void publish(JobEventMessage event) {
    Sends.send(producer, new ProducerRecord<>(topic, event.jobId().toString(), Json.toBytes(event)))
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                LOG.warn(
                    "event {} for job {} not published: {}",
                    event.type(),
                    event.jobId(),
                    error.toString());
              }
            });
  }
}
