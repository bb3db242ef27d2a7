package io.cascadefarm.dispatcher.api;

import com.fasterxml.jackson.core.JsonParser;
import io.cascadefarm.common.config.ApiLimits;
import io.cascadefarm.common.contract.JobContract;
import io.cascadefarm.common.contract.JobLimits;
import io.cascadefarm.common.job.JobParams;
import java.io.IOException;

/**
 * Reads one job object from a streaming parser into {@link JobParams} with unset fields left null,
 * checking every field against the {@link JobContract} with the configured limits (rules that
 * relate several fields are {@link JobContract#checkRules}). Unknown fields are errors (a typo must
 * not silently fall back to a default).
 */
public final class JobReader {
  private final JobLimits limits;

  public JobReader(ApiLimits limits) {
    this.limits = limits.jobLimits();
  }

  /** The parser is on START_OBJECT; on return it is on the matching END_OBJECT. */
  public JobParams read(JsonParser p, String prefix, ErrorScope s) throws IOException {
    return JobContract.read(p, prefix, limits, s);
  }
}
