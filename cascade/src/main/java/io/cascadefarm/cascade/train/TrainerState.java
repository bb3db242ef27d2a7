package io.cascadefarm.cascade.train;

import java.util.List;

/**
 * What a training loop reads of a trainer (LoRA or full fine-tuning) and what a checkpoint saves
 * and restores: the counters, the optimizer, the adaptive loss weight and the trained tensors.
 */
public interface TrainerState {
  /** Iterations done ({@code info.iter}). */
  long iteration();

  /** Optimizer updates done ({@code info.total_steps}). */
  long updates();

  /** Total iterations of the run: {@code updates * grad_accum_steps}. */
  long maxIterations();

  /** Sets the counters after restoring weights and optimizer state (resume). */
  void position(long iteration, long updates);

  AdamW optimizer();

  LossWeight lossWeight();

  void lossWeight(LossWeight w);

  /** The trained tensors, by name. */
  List<Trainable> parameters();
}
