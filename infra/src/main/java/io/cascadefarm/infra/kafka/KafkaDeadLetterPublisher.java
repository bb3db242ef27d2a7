package io.cascadefarm.infra.kafka;

import io.cascadefarm.common.job.JobError;
import io.cascadefarm.common.json.Json;
import io.cascadefarm.common.port.JobPublisher;
import io.cascadefarm.common.topic.JobMessage;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Puts jobs that failed for good on the dead-letter topic: key = job id, value = {@link JobMessage}
 * JSON, and with {@link #publish(JobMessage, JobError)} a header {@value #ERROR_HEADER} holding the
 * {@link JobError} JSON.
 */
public final class KafkaDeadLetterPublisher implements JobPublisher {
  /** Header carrying the final error as JSON. */
  public static final String ERROR_HEADER = "farm-error";

  private final Producer<String, byte[]> producer;
  private final String topic;

  public KafkaDeadLetterPublisher(Producer<String, byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  @Override
  public CompletableFuture<Void> publish(JobMessage message) {
    return publish(message, null);
  }

  /** Publishes with the final error attached as a header (null: no header). */
  public CompletableFuture<Void> publish(JobMessage message, JobError error) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(topic, message.jobId().toString(), Json.toBytes(message));
    if (error != null) {
      record.headers().add(ERROR_HEADER, Json.toBytes(error));
    }
    return Sends.send(producer, record);
  }
}
