package io.cascadefarm.common.job;

/**
 * Why a job failed. {@code code} is a stable machine-readable word (e.g. {@code render_error},
 * {@code invalid_input}, {@code lease_expired}); {@code retryable} says whether another attempt may
 * succeed.
 */
public record JobError(String code, String message, boolean retryable) {}
