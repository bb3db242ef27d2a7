package io.cascadefarm.db;

import io.cascadefarm.common.topic.JobMessage;

/**
 * An outbox row claimed for publication together with the message to publish, so a relay needs no
 * extra lookup per job. Delete it with {@link JdbcJobStore#markPublished} once Kafka acknowledged.
 */
public record PendingJob(long outboxId, JobMessage message) {}
