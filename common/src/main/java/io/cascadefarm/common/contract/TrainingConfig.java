package io.cascadefarm.common.contract;

import io.cascadefarm.common.job.JobKind;
import java.util.function.Function;

/**
 * The official training configs ({@code configs/training/*.yaml} of the Stable Cascade repository)
 * whose values the training kinds take as defaults: {@code train_lora} follows {@code
 * finetune_c_3b_lora.yaml}; {@code finetune_c} follows {@code finetune_c_1b.yaml} (models tiny and
 * lite) or {@code finetune_c_3b.yaml} (big); {@code finetune_b} follows {@code
 * finetune_b_700m.yaml} (tiny, lite) or {@code finetune_b_3b.yaml} (big). EMA is commented out in
 * every one of them, so it is off unless a job sets {@code ema_iters}.
 *
 * @param adaptiveLossWeight the config's {@code adaptive_loss_weight} (GDF AdaptiveLossWeight
 *     instead of P2LossWeight); fixed per config, not a job field
 */
public record TrainingConfig(
    String file,
    int batchSize,
    int gradAccumSteps,
    int updates,
    int saveEvery,
    int warmupUpdates,
    double lr,
    int imageSize,
    boolean adaptiveLossWeight) {
  public static final TrainingConfig LORA_C_3B =
      new TrainingConfig("finetune_c_3b_lora.yaml", 32, 4, 10_000, 100, 1, 1e-4, 768, false);
  public static final TrainingConfig C_1B =
      new TrainingConfig("finetune_c_1b.yaml", 1024, 1, 10_000, 2000, 1, 1e-4, 768, false);
  public static final TrainingConfig C_3B =
      new TrainingConfig("finetune_c_3b.yaml", 512, 1, 100_000, 2000, 1, 1e-4, 768, true);
  public static final TrainingConfig B_700M =
      new TrainingConfig("finetune_b_700m.yaml", 512, 1, 10_000, 2000, 1, 1e-4, 1024, true);
  public static final TrainingConfig B_3B =
      new TrainingConfig("finetune_b_3b.yaml", 256, 1, 100_000, 1000, 1, 1e-4, 1024, true);

  /** The config a training job of {@code kind} on {@code model} (null: lite) follows. */
  public static TrainingConfig of(JobKind kind, String model) {
    boolean big = "big".equals(model);
    return switch (kind) {
      case FINETUNE_C -> big ? C_3B : C_1B;
      case FINETUNE_B -> big ? B_3B : B_700M;
      default -> LORA_C_3B;
    };
  }

  /** How a default differs by kind and model, for the API docs. */
  static String describe(Function<TrainingConfig, Object> value) {
    return "train_lora "
        + value.apply(LORA_C_3B)
        + "; finetune_c "
        + value.apply(C_1B)
        + " (big: "
        + value.apply(C_3B)
        + "); finetune_b "
        + value.apply(B_700M)
        + " (big: "
        + value.apply(B_3B)
        + ") (official configs/training/*.yaml)";
  }
}
