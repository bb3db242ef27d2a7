package io.cascadefarm.common.port;

import io.cascadefarm.common.topic.JobEventMessage;

/**
 * Publishes progress and status events (Kafka events topic). Best effort: the store is the truth.
 */
public interface EventPublisher {
  void publish(JobEventMessage event);
}
