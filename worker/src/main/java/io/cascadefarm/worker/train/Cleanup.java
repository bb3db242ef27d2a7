package io.cascadefarm.worker.train;

import io.cascadefarm.common.job.Job;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deleting a finished job's checkpoints: a failure is logged, never fails the job. */
final class Cleanup {
  private static final Logger LOG = LoggerFactory.getLogger(Cleanup.class);

  private Cleanup() {}

  static void checkpoints(Checkpoints checkpoints, Job job) {
    try {
      checkpoints.clear(job.id());
    } catch (RuntimeException e) {
      LOG.warn("job {}: checkpoints not deleted: {}", job.id(), e.toString());
    }
  }
}
