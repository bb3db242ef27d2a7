package io.cascadefarm.common.job;

import java.time.Instant;
import java.util.UUID;

/**
 * A worker's claim on a running job; writes made under it count only while {@code epoch} is
 * current.
 */
public record Lease(UUID jobId, String worker, long epoch, int attempt, Instant expiresAt) {}
