package io.cascadefarm.infra.kafka;

import io.cascadefarm.common.json.Json;
import io.cascadefarm.common.port.JobPublisher;
import io.cascadefarm.common.topic.JobMessage;
import io.cascadefarm.common.topic.Topics;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Puts {@link JobMessage}s on the jobs topics: key = job id, value = its JSON. A first attempt goes
 * to the jobs topic, on the key's partition. A retry (a message naming the workers that already
 * claimed the job) goes to the retry lane, which workers read before the jobs topic, on a partition
 * another worker consumes when the workers' assignment of the lane is known ({@link
 * RetrySteering}). The future completes when the broker acknowledged ({@code acks=all}).
 */
public final class KafkaJobPublisher implements JobPublisher {
  private final Producer<String, byte[]> producer;
  private final String topic;
  private final String retryTopic;
  private volatile Supplier<Map<String, List<Integer>>> assignments = Map::of;
  private volatile Topics lanes;
  private volatile String trainTopic;

  public KafkaJobPublisher(Producer<String, byte[]> producer, String topic, String retryTopic) {
    this.producer = producer;
    this.topic = topic;
    this.retryTopic = retryTopic;
  }

  /**
   * Steers retries with this view of which worker consumes which partition of the retry lane (e.g.
   * {@link WorkerAssignments} of the retry topic).
   */
  public KafkaJobPublisher steeringRetriesBy(Supplier<Map<String, List<Integer>>> assignments) {
    this.assignments = assignments;
    return this;
  }

  @Override
  public CompletableFuture<Void> publish(JobMessage message) {
    String key = message.jobId().toString();
    byte[] value = Json.toBytes(message);
    if (trainTopic != null && Topics.isTraining(message.batchKey())) {
      return Sends.send(producer, new ProducerRecord<>(trainTopic, key, value));
    }
    if (message.triedBy().isEmpty()) {
      String lane = lanes == null ? topic : lanes.laneOf(message.priority());
      return Sends.send(producer, new ProducerRecord<>(lane, key, value));
    }
    OptionalInt partition =
        RetrySteering.partition(message.jobId(), message.triedBy(), assignments.get());
    return Sends.send(
        producer,
        partition.isPresent()
            ? new ProducerRecord<>(retryTopic, partition.getAsInt(), key, value)
            : new ProducerRecord<>(retryTopic, key, value));
  }

  /**
   * Sends first attempts of high and low jobs to their lane topics ({@link Topics#high()}, {@link
   * Topics#low()}); without it every first attempt goes to the jobs topic.
   */
  public KafkaJobPublisher routingPrioritiesBy(Topics topics) {
    this.lanes = topics;
    return this;
  }

  /**
   * Sends {@code train_lora} jobs (first attempts and retries) to the training lane {@code topic}
   * ({@link Topics#train()}); without it they go where render jobs go.
   */
  public KafkaJobPublisher routingTrainingTo(String topic) {
    this.trainTopic = topic;
    return this;
  }

  /** Sends everything buffered (e.g. after a relay round) and waits for the acknowledgements. */
  public void flush() {
    producer.flush();
  }
}
