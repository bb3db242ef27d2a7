package io.cascadefarm.cascade.model;

import java.nio.file.Path;

/**
 * A fine-tuned model: the base variant it was trained from, which stage it replaces and the local
 * safetensors file holding that stage in the official key layout.
 *
 * @param name the model name jobs use ({@code <tenant>/<name>})
 * @param base {@code tiny}, {@code lite} or {@code big}
 */
public record FineTunedVariant(String name, String base, Stage stage, Path weights) {
  /** The stage a fine-tuned model replaces. */
  public enum Stage {
    C,
    B
  }
}
