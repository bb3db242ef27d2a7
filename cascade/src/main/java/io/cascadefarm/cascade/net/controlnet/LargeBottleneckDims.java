package io.cascadefarm.cascade.net.controlnet;

/**
 * Widths of the {@code large} bottleneck: 1x1 conv c_in to {@code hidden}, LeakyReLU, 1x1 conv to
 * {@code width}, {@code blocks} CNetResBlocks, 1x1 conv to {@code embed} (the projection input).
 */
public record LargeBottleneckDims(int hidden, int width, int blocks, int embed) {

  public LargeBottleneckDims {
    if (hidden < 1 || width < 1 || blocks < 0 || embed < 1) {
      throw new IllegalArgumentException("large bottleneck: widths must be >= 1, blocks >= 0");
    }
  }

  /** The official widths (16384, 1024, 8 blocks, 1280). */
  public static LargeBottleneckDims official() {
    return new LargeBottleneckDims(16384, 1024, 8, 1280);
  }

  /** Small widths for CPU tests. */
  public static LargeBottleneckDims tiny() {
    return new LargeBottleneckDims(64, 32, 2, 48);
  }
}
