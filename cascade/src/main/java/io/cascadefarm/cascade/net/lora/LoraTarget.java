package io.cascadefarm.cascade.net.lora;

/**
 * Where one {@link LoraPair} goes: {@code W[key][rowOffset : rowOffset + out, :] += delta}.
 *
 * @param key model weight key (e.g. {@code up_blocks.0.2.attention.attn.in_proj_weight})
 * @param pair the low-rank update
 * @param rowOffset first row of the target block (q/k/v blocks of a packed {@code in_proj_weight})
 */
public record LoraTarget(String key, LoraPair pair, int rowOffset) {}
