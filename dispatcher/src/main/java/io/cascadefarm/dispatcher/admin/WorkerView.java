package io.cascadefarm.dispatcher.admin;

import io.cascadefarm.common.port.WorkerRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A worker as {@code GET /v1/workers} shows it. {@code state} is what the worker last reported,
 * except {@code gone} when its last heartbeat is older than {@code farm.workers.gone-after} (then
 * {@code reported_state} still says what it was).
 */
public record WorkerView(
    String id,
    String state,
    String reportedState,
    String stateReason,
    boolean quarantined,
    boolean drained,
    String host,
    long pid,
    List<String> devices,
    String precision,
    List<String> models,
    Numerics numerics,
    List<UUID> currentJobs,
    long succeeded,
    long failed,
    int consecutiveFailures,
    Instant stateSince,
    Instant startedAt,
    Instant lastHeartbeat,
    double secondsSinceHeartbeat,
    Hold hold) {

  /** The start-up numerics self-check: passed null while it runs. */
  public record Numerics(Boolean passed, String summary) {}

  /** An operator's hold. */
  public record Hold(String kind, String reason) {}

  public static WorkerView of(WorkerRecord r, Instant now, Duration goneAfter) {
    boolean gone = r.lastHeartbeat().plus(goneAfter).isBefore(now) && !"stopped".equals(r.state());
    String state = "stopped".equals(r.state()) ? "stopped" : gone ? "gone" : r.state();
    return new WorkerView(
        r.id(),
        state,
        r.state(),
        r.stateReason(),
        "quarantined".equals(r.state()) && !gone,
        r.hold() != null,
        r.host(),
        r.pid(),
        r.devices(),
        r.precision(),
        r.models(),
        new Numerics(r.numericsPassed(), r.numericsSummary()),
        gone ? List.of() : r.currentJobs(),
        r.succeeded(),
        r.failed(),
        r.consecutiveFailures(),
        r.stateSince(),
        r.startedAt(),
        r.lastHeartbeat(),
        Math.max(0, Duration.between(r.lastHeartbeat(), now).toMillis() / 1000.0),
        r.hold() == null ? null : new Hold(r.hold(), r.holdReason()));
  }
}
