package io.cascadefarm.common.port;

import java.util.UUID;

/**
 * A pending publication of a job to the jobs topic, written in the same transaction as the job
 * change that requires it. The relay publishes it and then deletes it.
 */
public record OutboxMessage(long id, UUID jobId) {}
