package io.cascadefarm.cascade.net.lora;

import java.nio.file.Path;
import java.util.List;

/**
 * A LoRA to apply: its file, the merge strength for the Stage C weights, and optionally its {@code
 * train_tokens} (null = read the file's {@code __metadata__} entry {@code train_tokens}, if any).
 *
 * @param file LoRA safetensors file
 * @param strength multiplier of the weight delta (1 = as trained; 0 = no weight change)
 * @param trainTokens token definitions for the ReToken rows, or null
 */
public record LoraApplication(Path file, float strength, List<TrainToken> trainTokens) {

  public LoraApplication {
    if (file == null) {
      throw new IllegalArgumentException("LoRA file must be given");
    }
    if (!Float.isFinite(strength)) {
      throw new IllegalArgumentException("LoRA strength must be finite, got " + strength);
    }
    file = file.toAbsolutePath().normalize();
    trainTokens = trainTokens == null ? null : List.copyOf(trainTokens);
  }

  public LoraApplication(Path file, float strength) {
    this(file, strength, null);
  }
}
