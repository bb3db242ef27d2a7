package io.cascadefarm.cascade.net.common;

import io.cascadefarm.cascade.nn.Module;

/** {@code get_block} of StageB/StageC: builds the block for one level_config letter. */
final class BlockFactory {
  private BlockFactory() {}

  static Module create(char type, UNetSpec spec, int level, long cSkip) {
    long c = spec.cHidden()[level];
    return switch (type) {
      case 'C' -> new ResBlock(c, cSkip, spec.kernelSize());
      case 'A' -> new AttnBlock(c, spec.cCond(), spec.nhead()[level], spec.selfAttn()[level]);
      case 'F' -> new FeedForwardBlock(c);
      case 'T' -> new TimestepBlock(c, spec.cR(), spec.tConds());
      default -> throw new IllegalArgumentException("Block type " + type + " not supported");
    };
  }
}
