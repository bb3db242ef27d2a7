package io.cascadefarm.common.port;

import io.cascadefarm.common.job.JobParams;
import java.util.UUID;

/**
 * A job to insert: id chosen by the caller (so the API can answer before anything else), resolved
 * params, owning tenant and the attempt limit.
 */
public record NewJob(UUID id, String tenant, JobParams params, int maxAttempts) {}
