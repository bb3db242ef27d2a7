package io.cascadefarm.common.config;

import java.util.List;

/**
 * Which training kinds the dispatcher accepts. Full fine-tuning ({@code finetune_c}, {@code
 * finetune_b}) trains every weight of a stage with AdamW and needs several times the model's size
 * in memory (see README, Training), so it is off unless an operator turns it on; even then only API
 * keys with the {@code admin} scope may submit it.
 *
 * @param finetuneEnabled whether {@code finetune_c} and {@code finetune_b} jobs are accepted
 */
public record TrainingGate(boolean finetuneEnabled) {
  public static final ConfigKey FINETUNE_ENABLED =
      new ConfigKey(
          "farm.training.finetune-enabled",
          "false",
          "Accept finetune_c and finetune_b jobs (full fine-tuning; admin-scope keys only; true in"
              + " standalone mode); workers need the memory the README lists per model size");

  public static final List<ConfigKey> KEYS = List.of(FINETUNE_ENABLED);

  public static TrainingGate from(ConfigSource c) {
    return new TrainingGate(c.getBoolean(FINETUNE_ENABLED));
  }
}
