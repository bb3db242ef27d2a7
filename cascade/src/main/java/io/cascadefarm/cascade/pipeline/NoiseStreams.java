package io.cascadefarm.cascade.pipeline;

import io.cascadefarm.cascade.diffusion.NoiseSource;
import io.cascadefarm.cascade.diffusion.SeededNoise;
import io.cascadefarm.cascade.diffusion.TorchNoise;

/**
 * The noise of one render call, per use. With {@link NoiseKind#JAVA} each use (image-to-image start
 * latent, Stage C, Stage B) has its own stream per row seed, so one use never shifts another; with
 * {@link NoiseKind#TORCH} all uses share one torch generator per row, drawn in the order the
 * official pipeline draws: image-to-image noise, Stage C, Stage B.
 */
final class NoiseStreams {
  private final long[] seeds;
  private final TorchNoise torch;

  private NoiseStreams(long[] seeds, TorchNoise torch) {
    this.seeds = seeds;
    this.torch = torch;
  }

  static NoiseStreams of(NoiseKind kind, long[] rowSeeds) {
    return new NoiseStreams(rowSeeds, kind == NoiseKind.TORCH ? new TorchNoise(rowSeeds) : null);
  }

  /** The noise of use {@code stream} ({@code prior}, {@code decoder}, {@code img2img}). */
  NoiseSource stream(String stream) {
    return torch != null ? torch : new SeededNoise(seeds, stream);
  }
}
