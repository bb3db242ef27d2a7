package io.cascadefarm.common.topic;

import java.util.Optional;

/**
 * How a worker names its Kafka consumer: {@code farm-worker-<worker id>}, the same worker id it
 * writes into job transitions. The dispatcher reads the workers' consumer group with it to know
 * which worker consumes which partition.
 */
public final class WorkerClientIds {
  public static final String PREFIX = "farm-worker-";

  private WorkerClientIds() {}

  public static String of(String workerId) {
    return PREFIX + workerId;
  }

  /** The worker id in a consumer's client id, or empty when the client is not a farm worker. */
  public static Optional<String> workerId(String clientId) {
    if (clientId == null || !clientId.startsWith(PREFIX) || clientId.length() == PREFIX.length()) {
      return Optional.empty();
    }
    return Optional.of(clientId.substring(PREFIX.length()));
  }
}
