package io.cascadefarm.common.job;

import java.time.Instant;
import java.util.UUID;

/** One recorded move of a job: when, by which event, on which worker, and why. */
public record TransitionRecord(
    UUID jobId,
    JobStatus from,
    JobStatus to,
    JobEvent event,
    Instant at,
    String worker,
    String reason) {}
