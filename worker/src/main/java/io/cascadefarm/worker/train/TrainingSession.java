package io.cascadefarm.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.train.AdamW;
import io.cascadefarm.cascade.train.LossWeight;
import java.util.Map;

/**
 * A trainer (LoRA or full fine-tuning) as the {@link TrainingLoop} drives it and {@link
 * Checkpoints} saves and restores it.
 */
interface TrainingSession {
  /** What one iteration did. */
  record Iteration(float loss, boolean update, long updates, double lr) {}

  /** Iterations done ({@code info.iter}). */
  long iteration();

  /** Optimizer updates done ({@code info.total_steps}). */
  long updates();

  /** Total iterations of the run: {@code updates * grad_accum_steps}. */
  long maxIterations();

  /** Runs the next iteration on the next micro-batch of {@code data} (temporaries in {@code m}). */
  Iteration next(TrainingData data, NDManager m);

  /** The tensors a checkpoint holds besides the optimizer moments, by name. */
  Map<String, NDArray> checkpointTensors();

  /** Puts a checkpointed tensor back (resume), taking ownership of {@code value}. */
  void restoreTensor(String name, NDArray value);

  AdamW optimizer();

  /** Sets the counters after a restore. */
  void position(long iteration, long updates);

  LossWeight lossWeight();

  void lossWeight(LossWeight w);
}
