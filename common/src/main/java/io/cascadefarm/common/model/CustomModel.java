package io.cascadefarm.common.model;

import java.time.Instant;
import java.util.UUID;

/**
 * A fine-tuned model as registered in the object store ({@link CustomModels}).
 *
 * @param model the name jobs use: {@code <tenant>/<name>}
 * @param tenant the only tenant that may render with it
 * @param base the variant it was trained from ({@code tiny}, {@code lite}, {@code big})
 * @param stage {@code c} or {@code b}: the stage its weights replace
 * @param sha256 of its safetensors file
 * @param job the {@code finetune_c}/{@code finetune_b} job that made it
 * @param steps optimizer updates it was trained for
 * @param ema whether the weights are the EMA copy
 */
public record CustomModel(
    String model,
    String tenant,
    String base,
    String stage,
    String sha256,
    UUID job,
    long steps,
    boolean ema,
    Instant createdAt) {}
