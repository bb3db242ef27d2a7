package io.cascadefarm.cascade.net.common;

import java.util.List;

/**
 * The level-stack part of a Stage B/C config.
 *
 * @param cR width of one sinusoidal embedding
 * @param cCond conditioning token width
 * @param cHidden channels per level
 * @param nhead attention heads per level
 * @param blocks {@code [down counts per level, up counts in up-path order (deepest first)]}
 * @param blockRepeat same layout as blocks; null = no repeat mappers
 * @param levelConfig block letters per level (C, T, A, F)
 * @param kernelSize depthwise kernel
 * @param selfAttn per level
 * @param tConds extra t-conditions ({@code sca}, {@code crp})
 */
public record UNetSpec(
    int cR,
    int cCond,
    int[] cHidden,
    int[] nhead,
    int[][] blocks,
    int[][] blockRepeat,
    List<String> levelConfig,
    int kernelSize,
    boolean[] selfAttn,
    List<String> tConds) {

  public int levels() {
    return cHidden.length;
  }

  /** Reads the shared fields from a config (defaults where the official constructor has them). */
  public static UNetSpec from(ConfigJson c) {
    int[] hidden = c.ints("c_hidden");
    int[][] blocks = c.intMatrix("blocks");
    int[][] repeat = c.has("block_repeat") ? c.intMatrix("block_repeat") : null;
    List<String> levels = c.strings("level_config");
    int[] nhead = c.ints("nhead");
    if (blocks.length != 2
        || blocks[0].length != hidden.length
        || blocks[1].length != hidden.length
        || levels.size() != hidden.length
        || nhead.length != hidden.length
        || (repeat != null
            && (repeat.length != 2
                || repeat[0].length != hidden.length
                || repeat[1].length != hidden.length))) {
      throw new IllegalArgumentException(
          "config: blocks/block_repeat/level_config/nhead must match c_hidden ("
              + hidden.length
              + " levels)");
    }
    return new UNetSpec(
        c.integer("c_r", 64),
        c.integer("c_cond"),
        hidden,
        nhead,
        blocks,
        repeat,
        levels,
        c.integer("kernel_size", 3),
        c.booleans("self_attn", hidden.length, true),
        c.has("t_conds") ? c.strings("t_conds") : List.of("sca"));
  }
}
