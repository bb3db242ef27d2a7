package io.cascadefarm.worker.train;

import ai.djl.ndarray.NDManager;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.job.JobProgress;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The iterations of a training attempt, the same for every training kind: resumes from the job's
 * last checkpoint if there is one, then runs the remaining iterations, reporting progress (step,
 * loss, lr) after every update and checkpointing every {@code save_every} updates. It stops,
 * writing nothing, when {@code keepGoing} turns false (lease lost, job cancelled), and checkpoints
 * and hands the job back when the worker drains. The loss it reports is the official trainers'
 * {@code ema_loss} (0.99 EMA of the raw loss).
 */
final class TrainingLoop {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);

  private TrainingLoop() {}

  /** The final loss EMA when every iteration ran, else empty (the outcome says why). */
  static OptionalDouble run(
      UUID job,
      JobParams p,
      TrainingSession t,
      TrainingData data,
      Checkpoints checkpoints,
      TrainingRun.Control control,
      Consumer<TrainingRun.Outcome> outcome,
      NDManager manager) {
    Optional<Double> resumed = checkpoints.restore(job, t, data, manager);
    double ema = resumed.orElse(Double.NaN);
    resumed.ifPresent(
        e ->
            LOG.info(
                "job {}: resuming from the checkpoint after update {} (iteration {})",
                job,
                t.updates(),
                t.iteration()));
    while (t.iteration() < t.maxIterations()) {
      if (!control.keepGoing()) {
        outcome.accept(TrainingRun.Outcome.STOPPED);
        return OptionalDouble.empty();
      }
      if (control.draining()) {
        if (t.updates() > 0 && t.iteration() % p.gradAccumSteps() == 0) {
          checkpoints.save(job, t, ema, data);
        }
        outcome.accept(TrainingRun.Outcome.DRAINED);
        return OptionalDouble.empty();
      }
      TrainingSession.Iteration s;
      try (NDManager step = manager.newSubManager()) {
        s = t.next(data, step);
      }
      ema = Double.isNaN(ema) ? s.loss() : ema * 0.99 + s.loss() * 0.01;
      if (!Double.isFinite(s.loss())) {
        throw new TrainingFailure("training_diverged", "the loss is " + s.loss());
      }
      if (s.update()) {
        if (!control.progress(
            new JobProgress("train", (int) s.updates(), p.steps(), (double) s.loss(), s.lr()))) {
          outcome.accept(TrainingRun.Outcome.STOPPED);
          return OptionalDouble.empty();
        }
        if (s.updates() % p.saveEvery() == 0 && s.updates() < p.steps()) {
          checkpoints.save(job, t, ema, data);
        }
      }
    }
    if (!control.keepGoing()) {
      outcome.accept(TrainingRun.Outcome.STOPPED);
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(ema);
  }
}
