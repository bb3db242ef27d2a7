package io.cascadefarm.cascade.pipeline;

import java.util.Locale;

/**
 * Where a request's Gaussian noise comes from. {@code JAVA} (the default) draws each row's noise
 * from its seed with a Java generator, independent of native libraries and batching. {@code TORCH}
 * reproduces {@code torch.manual_seed(seed)} + the official pipeline's draws on a CPU bit for bit
 * ({@link io.cascadefarm.cascade.diffusion.TorchNoise}): image {@code i} of a request is what the
 * official code renders with batch size 1 and seed {@code seed + i}.
 */
public enum NoiseKind {
  JAVA,
  TORCH;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code java} / {@code torch} (case-insensitive). */
  public static NoiseKind parse(String name) {
    for (NoiseKind k : values()) {
      if (k.wireName().equalsIgnoreCase(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException("noise must be java or torch, got " + name);
  }
}
