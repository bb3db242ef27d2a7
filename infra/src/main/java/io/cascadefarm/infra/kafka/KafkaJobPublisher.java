package io.cascadefarm.infra.kafka;

import io.cascadefarm.common.json.Json;
import io.cascadefarm.common.port.JobPublisher;
import io.cascadefarm.common.topic.JobMessage;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Puts {@link JobMessage}s on the jobs topic: key = job id, value = its JSON. A first attempt goes
 * to the key's partition. A retry (a message naming the workers that already claimed the job) goes
 * to a partition another worker consumes when the workers' assignment is known ({@link
 * RetrySteering}). The future completes when the broker acknowledged ({@code acks=all}).
 */
public final class KafkaJobPublisher implements JobPublisher {
  private final Producer<String, byte[]> producer;
  private final String topic;
  private volatile Supplier<Map<String, List<Integer>>> assignments = Map::of;

  public KafkaJobPublisher(Producer<String, byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  /** Steers retries with this view of the workers' partitions (e.g. {@link WorkerAssignments}). */
  public KafkaJobPublisher steeringRetriesBy(Supplier<Map<String, List<Integer>>> assignments) {
    this.assignments = assignments;
    return this;
  }

  @Override
  public CompletableFuture<Void> publish(JobMessage message) {
    String key = message.jobId().toString();
    byte[] value = Json.toBytes(message);
    OptionalInt partition =
        message.triedBy().isEmpty()
            ? OptionalInt.empty()
            : RetrySteering.partition(message.jobId(), message.triedBy(), assignments.get());
    return Sends.send(
        producer,
        partition.isPresent()
            ? new ProducerRecord<>(topic, partition.getAsInt(), key, value)
            : new ProducerRecord<>(topic, key, value));
  }

  /** Sends everything buffered (e.g. after a relay round) and waits for the acknowledgements. */
  public void flush() {
    producer.flush();
  }
}
