package io.cascadefarm.common.port;

import io.cascadefarm.common.topic.JobMessage;
import java.util.concurrent.CompletableFuture;

/** Puts jobs on the jobs topic (Kafka). Completes when the broker acknowledged. */
public interface JobPublisher {
  CompletableFuture<Void> publish(JobMessage message);
}
