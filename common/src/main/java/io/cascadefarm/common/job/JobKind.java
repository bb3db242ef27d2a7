package io.cascadefarm.common.job;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a job renders. The wire names are the {@code kind} values of the HTTP API. */
public enum JobKind {
  TEXT_TO_IMAGE,
  IMAGE_VARIATION,
  IMAGE_TO_IMAGE,
  RECONSTRUCT,
  CONTROLNET,
  /** Stage C only: the result is the Stage C latents as a safetensors object per image. */
  PRIOR,
  /** Stage B and A only, from given Stage C latents ({@code embeddings} upload). */
  DECODE,
  /** Trains a LoRA on a dataset ({@code train/train_c_lora.py}); runs in the training lane. */
  TRAIN_LORA,
  /**
   * Fine-tunes every Stage C weight ({@code train/train_c.py}); training lane, gated (admin scope
   * and {@code farm.training.finetune-enabled}).
   */
  FINETUNE_C,
  /** Fine-tunes every Stage B weight ({@code train/train_b.py}); like {@link #FINETUNE_C}. */
  FINETUNE_B;

  /** The lower-case wire name, e.g. {@code text_to_image}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this kind needs an input {@code image}. */
  public boolean needsImage() {
    return this != TEXT_TO_IMAGE && this != PRIOR && this != DECODE && !isTraining();
  }

  /**
   * Whether this kind may take an input {@code image} (prior: optional, for its CLIP embedding).
   */
  public boolean takesImage() {
    return needsImage() || this == PRIOR;
  }

  /** Whether this kind trains (training lane) rather than renders. */
  public boolean isTraining() {
    return this == TRAIN_LORA || isFinetune();
  }

  /** Whether this kind is a full fine-tuning of Stage C or Stage B (gated, makes a model). */
  public boolean isFinetune() {
    return this == FINETUNE_C || this == FINETUNE_B;
  }

  /** Parses a wire name; throws {@link IllegalArgumentException} listing the accepted values. */
  public static JobKind fromWire(String value) {
    for (JobKind k : values()) {
      if (k.wire().equals(value)) {
        return k;
      }
    }
    throw new IllegalArgumentException("must be one of " + wireNames());
  }

  /** The accepted wire names, comma separated. */
  public static String wireNames() {
    return Arrays.stream(values()).map(JobKind::wire).collect(Collectors.joining(", "));
  }
}
