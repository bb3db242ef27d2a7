package io.cascadefarm.dispatcher.api;

import io.cascadefarm.common.contract.JobContract;
import io.cascadefarm.common.job.JobParams;

/**
 * Applies a batch's {@code defaults} to one job: every field the job leaves unset comes from the
 * defaults (stage settings field by field, metadata merged key by key with the job winning), over
 * the fields that {@link JobContract} declares.
 */
public final class ParamsMerger {
  private ParamsMerger() {}

  public static JobParams merge(JobParams job, JobParams d) {
    return JobContract.merge(job, d);
  }
}
