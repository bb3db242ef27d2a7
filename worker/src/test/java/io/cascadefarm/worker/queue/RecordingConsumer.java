package io.cascadefarm.worker.queue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** A MockConsumer that remembers the last committed offset per partition, even after close. */
final class RecordingConsumer extends MockConsumer<String, byte[]> {
  private final Map<TopicPartition, Long> commits = new ConcurrentHashMap<>();

  RecordingConsumer() {
    super("earliest");
  }

  @Override
  public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
    super.commitSync(offsets, timeout);
    offsets.forEach((tp, om) -> commits.put(tp, om.offset()));
  }

  long lastCommitted(TopicPartition tp) {
    return commits.getOrDefault(tp, -1L);
  }
}
