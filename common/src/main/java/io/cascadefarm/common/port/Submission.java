package io.cascadefarm.common.port;

import io.cascadefarm.common.job.Job;

/**
 * The answer to a single-job submit. {@code replayed} is true when an earlier request with the same
 * idempotency key and the same body already created {@code job}.
 */
public record Submission(Job job, boolean replayed) {}
