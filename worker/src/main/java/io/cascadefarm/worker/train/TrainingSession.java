package io.cascadefarm.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cascadefarm.cascade.train.AdamW;
import io.cascadefarm.cascade.train.LossWeight;
import io.cascadefarm.cascade.train.Trainable;
import io.cascadefarm.cascade.train.TrainerState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trainer (LoRA or full fine-tuning) as the {@link TrainingLoop} drives it and {@link
 * Checkpoints} saves and restores it. The counters, optimizer and loss weight are the trainer's
 * own; a session adds how one iteration runs and what a checkpoint holds.
 */
interface TrainingSession {
  /** What one iteration did. */
  record Iteration(float loss, boolean update, long updates, double lr) {}

  /** The trainer this session drives. */
  TrainerState trainer();

  /** Runs the next iteration on the next micro-batch of {@code data} (temporaries in {@code m}). */
  Iteration next(TrainingData data, NDManager m);

  /** Puts a checkpointed tensor back (resume), taking ownership of {@code value}. */
  void restoreTensor(String name, NDArray value);

  /** The tensors a checkpoint holds besides the optimizer moments, by name: the trained ones. */
  default Map<String, NDArray> checkpointTensors() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (Trainable p : trainer().parameters()) {
      out.put(p.name(), p.value());
    }
    return out;
  }

  default long iteration() {
    return trainer().iteration();
  }

  default long updates() {
    return trainer().updates();
  }

  default long maxIterations() {
    return trainer().maxIterations();
  }

  default AdamW optimizer() {
    return trainer().optimizer();
  }

  default void position(long iteration, long updates) {
    trainer().position(iteration, updates);
  }

  default LossWeight lossWeight() {
    return trainer().lossWeight();
  }

  default void lossWeight(LossWeight w) {
    trainer().lossWeight(w);
  }
}
