package io.cascadefarm.common.port;

import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.Lease;

/** A successful attempt to record: the lease it ran under and what it produced. */
public record Completion(Lease lease, JobResult result) {}
