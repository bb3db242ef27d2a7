package io.cascadefarm.common.port;

import io.cascadefarm.common.job.JobStatus;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A batch with its job count per status. */
public record BatchSummary(
    UUID id,
    String tenant,
    int jobCount,
    Map<JobStatus, Integer> counts,
    Map<String, Object> metadata,
    Instant createdAt) {}
