package io.cascadefarm.common.port;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What a worker writes into the registry on each of its registry heartbeats. */
public record WorkerHeartbeat(
    String id,
    String host,
    long pid,
    List<String> devices,
    String precision,
    List<String> models,
    Boolean numericsPassed,
    String numericsSummary,
    List<UUID> currentJobs,
    long succeeded,
    long failed,
    int consecutiveFailures,
    String state,
    String stateReason,
    Instant startedAt) {

  public WorkerHeartbeat {
    devices = List.copyOf(devices);
    models = List.copyOf(models);
    currentJobs = List.copyOf(currentJobs);
  }
}
