package io.cascadefarm.common.job;

import io.cascadefarm.common.digest.Sha256;

/**
 * One rendered image: its object-store key, size, the seed that reproduces it, and the stored
 * object's length in bytes and SHA-256 (lower-case hex), so a client can verify what it downloads.
 * {@code bytes} and {@code sha256} are null for results stored before workers recorded them.
 */
public record ResultImage(String key, int width, int height, long seed, Long bytes, String sha256) {

  /** The result stored under {@code key} as exactly {@code stored}, with its length and digest. */
  public static ResultImage stored(String key, int width, int height, long seed, byte[] stored) {
    return new ResultImage(key, width, height, seed, (long) stored.length, Sha256.hex(stored));
  }
}
