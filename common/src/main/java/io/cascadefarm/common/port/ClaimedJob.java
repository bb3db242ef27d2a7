package io.cascadefarm.common.port;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.Lease;

/**
 * A job a worker just claimed: its lease and the job as the claim left it (running, new epoch and
 * attempt), both from the one statement that claimed it, so no second read is needed.
 */
public record ClaimedJob(Lease lease, Job job) {}
