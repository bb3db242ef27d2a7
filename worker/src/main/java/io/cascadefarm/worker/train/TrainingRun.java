package io.cascadefarm.worker.train;

import io.cascadefarm.common.job.Job;
import io.cascadefarm.common.job.JobProgress;
import io.cascadefarm.common.job.JobResult;
import io.cascadefarm.common.job.Lease;
import java.util.Optional;
import java.util.function.Consumer;

/** One attempt of a training job of some kind, as the {@link TrainLane} runs it. */
interface TrainingRun {
  /** How an attempt ended. */
  enum Outcome {
    SUCCEEDED,
    STOPPED,
    DRAINED
  }

  /** Hooks of the run into the lane (lease, progress, cancellation, draining). */
  interface Control {
    /** False once the lease is lost or the job was cancelled: stop, write nothing. */
    boolean keepGoing();

    /** True when the worker drains: checkpoint and hand the job back. */
    boolean draining();

    /** Records progress under the lease; false if the lease is gone. */
    boolean progress(JobProgress p);
  }

  /** The result to record, or empty when the run stopped or drained. */
  Optional<JobResult> run(Job job, Lease lease, Control control, Consumer<Outcome> outcome);

  /** Called after the result is recorded: the checkpoints are no longer needed. */
  void cleanUp(Job job);
}
