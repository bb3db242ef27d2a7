package io.cascadefarm.common.port;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The job-store side of the results lifecycle ({@code farm.results.ttl}): succeeded jobs whose
 * result objects are due for deletion, and marking a job's result expired once they are gone. The
 * job row and its result metadata stay; only the objects go.
 */
public interface ResultRetention {

  /** A succeeded job whose result is due: its tenant, the object keys it references, when done. */
  record Due(UUID jobId, String tenant, List<String> keys, Instant finishedAt) {
    public Due {
      keys = List.copyOf(keys);
    }
  }

  /**
   * Up to {@code limit} succeeded, not yet expired jobs that finished before their tenant's cutoff,
   * oldest first. A tenant listed in {@code tenantCutoffs} uses its own cutoff (null: kept for
   * ever), every other tenant {@code defaultCutoff} (null: kept for ever).
   */
  List<Due> due(Instant defaultCutoff, Map<String, Instant> tenantCutoffs, int limit);

  /** Marks the job's result expired at {@code at}; false when it was not a stored result. */
  boolean markExpired(UUID jobId, Instant at);

  /** Retention that never finds anything (fakes, tests). */
  static ResultRetention none() {
    return new ResultRetention() {
      @Override
      public List<Due> due(Instant defaultCutoff, Map<String, Instant> tenantCutoffs, int limit) {
        return List.of();
      }

      @Override
      public boolean markExpired(UUID jobId, Instant at) {
        return false;
      }
    };
  }
}
