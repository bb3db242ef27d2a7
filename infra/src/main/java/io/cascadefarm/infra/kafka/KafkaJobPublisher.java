package io.cascadefarm.infra.kafka;

import io.cascadefarm.common.json.Json;
import io.cascadefarm.common.port.JobPublisher;
import io.cascadefarm.common.topic.JobMessage;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Puts {@link JobMessage}s on the jobs topic: key = job id (a job's records share a partition),
 * value = its JSON. The future completes when the broker acknowledged ({@code acks=all}).
 */
public final class KafkaJobPublisher implements JobPublisher {
  private final Producer<String, byte[]> producer;
  private final String topic;

  public KafkaJobPublisher(Producer<String, byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  @Override
  public CompletableFuture<Void> publish(JobMessage message) {
    return Sends.send(
        producer, new ProducerRecord<>(topic, message.jobId().toString(), Json.toBytes(message)));
  }

  /** Sends everything buffered (e.g. after a relay round) and waits for the acknowledgements. */
  public void flush() {
    producer.flush();
  }
}
