package io.cascadefarm.dispatcher.service;

import io.cascadefarm.dispatcher.api.FieldError;
import java.util.List;
import java.util.UUID;

/**
 * The 202 answer to a batch submit. With {@code ?partial=true}, {@code rejected} lists the jobs (or
 * NDJSON lines) that were left out and why; {@code rejected_count} counts all of them.
 */
public record BatchAccepted(
    UUID id,
    int jobCount,
    int rejectedCount,
    List<FieldError> rejected,
    String statusUrl,
    String jobsUrl,
    String eventsUrl) {}
