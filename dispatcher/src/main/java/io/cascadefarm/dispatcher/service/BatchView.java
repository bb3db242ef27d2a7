package io.cascadefarm.dispatcher.service;

import io.cascadefarm.common.job.JobStatus;
import io.cascadefarm.common.port.BatchSummary;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A batch as {@code GET /v1/batches/{id}} shows it: job count per status (every status listed, zero
 * included) and whether every job reached a terminal state.
 */
public record BatchView(
    UUID id,
    int jobCount,
    Map<String, Integer> counts,
    boolean done,
    Map<String, Object> metadata,
    Instant createdAt) {

  public static BatchView of(BatchSummary b) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    int terminal = 0;
    for (JobStatus s : JobStatus.values()) {
      int n = b.counts() == null ? 0 : b.counts().getOrDefault(s, 0);
      counts.put(s.wire(), n);
      if (s.isTerminal()) {
        terminal += n;
      }
    }
    return new BatchView(
        b.id(), b.jobCount(), counts, terminal == b.jobCount(), b.metadata(), b.createdAt());
  }
}
