package io.cascadefarm.worker.queue;

import io.cascadefarm.common.topic.JobMessage;
import org.apache.kafka.common.TopicPartition;

/**
 * A job message with the partition and offset it was read from, and the record's timestamp (when
 * the relay published it, epoch milliseconds; -1 unknown), which orders the priority lanes.
 */
public record JobRecord(TopicPartition partition, long offset, JobMessage message, long timestamp) {

  public JobRecord(TopicPartition partition, long offset, JobMessage message) {
    this(partition, offset, message, -1);
  }
}
