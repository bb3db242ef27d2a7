package io.cascadefarm.common.contract;

/**
 * The bounds of the contract that an operator may lower (the {@code farm.api.*} settings of {@link
 * io.cascadefarm.common.config.ApiLimits}), never raise past {@link #CEILING}: the most the
 * worker's renderer accepts. The worker checks stored jobs against the ceiling, the API against
 * what is configured.
 */
public record JobLimits(int maxPromptChars, int maxImagesPerJob, int maxDimension) {
  /**
   * The most any farm accepts: what the Stable Cascade pipeline itself takes (the fields of {@link
   * JobContract} declare these as their bounds).
   */
  public static final JobLimits CEILING = new JobLimits(10_000, 16, 4096);

  public JobLimits {
    if (CEILING != null) { // null only while CEILING itself is made
      check("max prompt chars", maxPromptChars, 1, CEILING.maxPromptChars);
      check("max images per job", maxImagesPerJob, 1, CEILING.maxImagesPerJob);
      check("max dimension", maxDimension, JobContract.MIN_DIMENSION, CEILING.maxDimension);
    }
  }

  private static void check(String what, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          what + " must be between " + min + " and " + max + ", got " + value);
    }
  }
}
