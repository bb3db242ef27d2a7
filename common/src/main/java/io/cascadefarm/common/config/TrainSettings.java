package io.cascadefarm.common.config;

import java.util.List;

/**
 * The training lane of a worker process.
 *
 * @param slots training jobs this process runs at once (0: it takes none)
 */
public record TrainSettings(int slots) {
  public static final ConfigKey SLOTS =
      new ConfigKey(
          "farm.worker.train-slots",
          "1",
          "Training jobs (train_lora, finetune_c, finetune_b) one worker process runs at once, in their"
              + " own lane beside rendering; 0: this process trains nothing");

  public static final List<ConfigKey> KEYS = List.of(SLOTS);

  /** One slot, the default. */
  public static final TrainSettings DEFAULT = new TrainSettings(1);

  public TrainSettings {
    if (slots < 0) {
      throw new ConfigException(SLOTS.name() + " must be >= 0, got " + slots);
    }
  }

  public static TrainSettings from(ConfigSource c) {
    return new TrainSettings(c.getInt(SLOTS));
  }
}
