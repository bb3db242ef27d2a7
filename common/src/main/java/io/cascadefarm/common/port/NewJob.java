package io.cascadefarm.common.port;

import io.cascadefarm.common.job.JobParams;
import java.util.UUID;

/**
 * A job to insert: id chosen by the caller (so the API can answer before anything else), resolved
 * params, owning tenant and the attempt limit.
 */
public record NewJob(UUID id, String tenant, JobParams params, int maxAttempts) {
  /**
   * What every store checks before inserting the job into {@code tenant}'s submission: an id,
   * params, at least one attempt, and the submission's tenant.
   *
   * @throws IllegalArgumentException naming the job and what is wrong
   */
  public void requireValidFor(String tenant) {
    if (id == null) {
      throw new IllegalArgumentException("job id must not be null");
    }
    if (this.tenant == null || !this.tenant.equals(tenant)) {
      throw new IllegalArgumentException(
          "job " + id + ": tenant '" + this.tenant + "' differs from '" + tenant + "'");
    }
    if (params == null) {
      throw new IllegalArgumentException("job " + id + ": params must not be null");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException(
          "job " + id + ": max_attempts must be >= 1, got " + maxAttempts);
    }
  }
}
