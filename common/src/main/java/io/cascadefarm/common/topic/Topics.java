package io.cascadefarm.common.topic;

/**
 * The farm's Kafka topics. Names come from config ({@code farm.kafka.topic-prefix}); the jobs topic
 * is keyed by job id so a job's records stay on one partition.
 *
 * @param jobs jobs to render (first attempts), value {@link JobMessage}
 * @param deadLetter jobs that failed for good, value {@link JobMessage}
 * @param events progress and status, value {@link JobEventMessage}
 * @param retries the retry lane: jobs re-queued after a failed attempt or an expired lease. Workers
 *     consume it in the same group as {@code jobs} and take its messages first, so a retried job
 *     does not wait behind the backlog of the jobs topic.
 */
public record Topics(String jobs, String deadLetter, String events, String retries) {

  /**
   * The high-priority lane ({@code <jobs>.high}): first attempts of {@code priority: high} jobs.
   * Workers read it after the retry lane and before the jobs topic, and keep fetching it while they
   * render, so a high job starts on the worker's next free slot.
   */
  public String high() {
    return jobs + ".high";
  }

  /**
   * The low-priority lane ({@code <jobs>.low}): first attempts of {@code priority: low} jobs, taken
   * after the jobs topic's but aged (a low job competes as if submitted {@code
   * farm.worker.low-aging} later than it was), so it is never starved.
   */
  public String low() {
    return jobs + ".low";
  }

  /** The topic of a first attempt of {@code priority} (null or unknown: the jobs topic). */
  public String laneOf(String priority) {
    if ("high".equals(priority)) {
      return high();
    }
    return "low".equals(priority) ? low() : jobs;
  }

  /**
   * The training lane ({@code <jobs>.train}): {@code train_lora}, {@code finetune_c} and {@code
   * finetune_b} jobs, first attempts and retries, consumed by the workers' training slots in their
   * own consumer group, so training never queues in front of renders (and renders never in front of
   * training).
   */
  public String train() {
    return jobs + ".train";
  }

  /**
   * Whether a job with this batch key ({@link JobMessage#batchKey()}) belongs to the training lane.
   */
  public static boolean isTraining(String batchKey) {
    // the batch key starts with the kind (JobContract.batchKey: String.valueOf(JobKind))
    if (batchKey == null) {
      return false;
    }
    for (io.cascadefarm.common.job.JobKind k : io.cascadefarm.common.job.JobKind.values()) {
      if (k.isTraining() && batchKey.startsWith(k.name() + "|")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Topic names under a prefix, e.g. {@code farm} gives farm.jobs, farm.jobs.dlq, farm.events and
   * farm.jobs.retry.
   */
  public static Topics withPrefix(String prefix) {
    return new Topics(
        prefix + ".jobs", prefix + ".jobs.dlq", prefix + ".events", prefix + ".jobs.retry");
  }
}
