package io.cascadefarm.cascade.tools.parity;

import java.nio.charset.StandardCharsets;

/**
 * The fixtures' "hashinit" formula weights (parity README, section hashinit): FNV-1a 32 of {@code
 * "<seed>:<name>"} as key, murmur3 fmix32 of {@code i*0x9E3779B9 + key}, top 24 bits to a uniform
 * float in [0,1), then {@code (2u-1)*scale + offset} in float32 with rounding after each op.
 */
public final class HashInit {
  private HashInit() {}

  /** FNV-1a 32-bit hash of the UTF-8 bytes of {@code seed + ":" + name}. */
  public static int key(long seed, String name) {
    int h = 0x811C9DC5;
    for (byte b : (seed + ":" + name).getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x01000193;
    }
    return h;
  }

  /** Value of flat element {@code i}. */
  public static float value(int key, long i, float scale, float offset) {
    int x = (int) i * 0x9E3779B9 + key;
    x ^= x >>> 16;
    x *= 0x85EBCA6B;
    x ^= x >>> 13;
    x *= 0xC2B2AE35;
    x ^= x >>> 16;
    float u = (float) (x >>> 8) * 0x1p-24f;
    float v = 2.0f * u - 1.0f;
    float scaled = v * scale;
    return scaled + offset;
  }

  /** All {@code numel} values of a tensor. */
  public static float[] generate(long seed, String name, int numel, float scale, float offset) {
    int key = key(seed, name);
    float[] out = new float[numel];
    for (int i = 0; i < numel; i++) {
      out[i] = value(key, i, scale, offset);
    }
    return out;
  }
}
