package io.cascadefarm.common.port;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A worker as the registry ({@link WorkerRegistry}) holds it: what the worker last reported about
 * itself, and the operator's hold on it.
 *
 * @param state what the worker reports: {@code starting}, {@code active}, {@code draining}, {@code
 *     drained}, {@code quarantined}, {@code refused} (numerics self-check failed) or {@code
 *     stopped}
 * @param hold {@code drain} while an operator holds the worker out of service, else null
 * @param releaseRequests how many times an operator released the worker (the worker clears its own
 *     quarantine when this grows)
 */
public record WorkerRecord(
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
    Instant stateSince,
    Instant startedAt,
    Instant lastHeartbeat,
    String hold,
    String holdReason,
    int releaseRequests) {

  public WorkerRecord {
    devices = List.copyOf(devices);
    models = List.copyOf(models);
    currentJobs = List.copyOf(currentJobs);
  }
}
