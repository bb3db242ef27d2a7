package io.cascadefarm.common.job;

import java.time.Instant;
import java.util.List;

/**
 * What a succeeded job produced (training jobs: the LoRA or the fine-tuned model, the final loss
 * and steps, no images). {@code expiredAt} is set once the result sweeper deleted the images'
 * objects ({@code farm.results.ttl}): the metadata stays, the images are gone.
 */
public record JobResult(
    List<ResultImage> images,
    Instant expiredAt,
    TrainedLora lora,
    Double loss,
    Long steps,
    TrainedModel model) {
  public JobResult {
    images = List.copyOf(images);
  }

  public JobResult(
      List<ResultImage> images, Instant expiredAt, TrainedLora lora, Double loss, Long steps) {
    this(images, expiredAt, lora, loss, steps, null);
  }

  public JobResult(List<ResultImage> images, Instant expiredAt) {
    this(images, expiredAt, null, null, null);
  }

  public JobResult(List<ResultImage> images) {
    this(images, null);
  }

  /**
   * A {@code train_lora} result: the registered LoRA, the final loss (exponential moving average of
   * the raw loss, as the official trainer logs it) and the optimizer updates done.
   */
  public static JobResult trained(TrainedLora lora, double loss, long steps) {
    return new JobResult(List.of(), null, lora, loss, steps);
  }

  /**
   * A {@code finetune_c}/{@code finetune_b} result: the registered model, the final loss (EMA of
   * the raw loss, as the official trainers log it) and the optimizer updates done.
   */
  public static JobResult finetuned(TrainedModel model, double loss, long steps) {
    return new JobResult(List.of(), null, null, loss, steps, model);
  }

  /** True when the images were deleted by the result sweeper. */
  public boolean expired() {
    return expiredAt != null;
  }
}
