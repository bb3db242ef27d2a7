package io.cascadefarm.worker.queue;

import io.cascadefarm.common.topic.JobMessage;
import org.apache.kafka.common.TopicPartition;

/** A job message with the partition and offset it was read from. */
public record JobRecord(TopicPartition partition, long offset, JobMessage message) {}
