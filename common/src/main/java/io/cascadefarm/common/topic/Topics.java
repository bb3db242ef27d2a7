package io.cascadefarm.common.topic;

/**
 * The farm's Kafka topics. Names come from config ({@code farm.kafka.topic-prefix}); the jobs topic
 * is keyed by job id so a job's records stay on one partition.
 *
 * @param jobs jobs to render, value {@link JobMessage}
 * @param deadLetter jobs that failed for good, value {@link JobMessage}
 * @param events progress and status, value {@link JobEventMessage}
 */
public record Topics(String jobs, String deadLetter, String events) {

  /** Topic names under a prefix, e.g. {@code farm} gives farm.jobs, farm.jobs.dlq, farm.events. */
  public static Topics withPrefix(String prefix) {
    return new Topics(prefix + ".jobs", prefix + ".jobs.dlq", prefix + ".events");
  }
}
