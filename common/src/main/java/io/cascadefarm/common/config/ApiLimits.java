package io.cascadefarm.common.config;

import io.cascadefarm.common.contract.JobLimits;
import java.util.List;

/**
 * Documented limits on what the HTTP API accepts; anything beyond gets a 4xx naming the field. The
 * limits on job fields may only lower the job contract's bounds ({@link JobLimits#CEILING}, what
 * the workers render): a larger value is a configuration error.
 */
public record ApiLimits(
    int maxBodyBytes,
    int maxJobsPerBatch,
    int maxPromptChars,
    int maxImagesPerJob,
    int maxDimension,
    int maxUploadBytes) {
  public static final ConfigKey MAX_BODY =
      new ConfigKey("farm.api.max-body-bytes", "134217728", "Largest request body (128 MiB)");
  public static final ConfigKey MAX_JOBS =
      new ConfigKey("farm.api.max-jobs-per-batch", "100000", "Most jobs in one batch");
  public static final ConfigKey MAX_PROMPT =
      new ConfigKey(
          "farm.api.max-prompt-chars", "4000", "Longest prompt or negative prompt (at most 10000)");
  public static final ConfigKey MAX_IMAGES =
      new ConfigKey(
          "farm.api.max-images-per-job", "8", "Most images one job may ask for (at most 16)");
  public static final ConfigKey MAX_DIMENSION =
      new ConfigKey(
          "farm.api.max-dimension", "4096", "Largest width or height in pixels (at most 4096)");
  public static final ConfigKey MAX_UPLOAD =
      new ConfigKey("farm.api.max-upload-bytes", "20971520", "Largest image upload (20 MiB)");
  public static final List<ConfigKey> KEYS =
      List.of(MAX_BODY, MAX_JOBS, MAX_PROMPT, MAX_IMAGES, MAX_DIMENSION, MAX_UPLOAD);

  public static ApiLimits from(ConfigSource c) {
    return new ApiLimits(
        c.getInt(MAX_BODY),
        c.getInt(MAX_JOBS),
        atMost(c, MAX_PROMPT, 1, JobLimits.CEILING.maxPromptChars()),
        atMost(c, MAX_IMAGES, 1, JobLimits.CEILING.maxImagesPerJob()),
        atMost(c, MAX_DIMENSION, 64, JobLimits.CEILING.maxDimension()),
        c.getInt(MAX_UPLOAD));
  }

  /** The configured bounds of job fields, for the job contract. */
  public JobLimits jobLimits() {
    return new JobLimits(maxPromptChars, maxImagesPerJob, maxDimension);
  }

  private static int atMost(ConfigSource c, ConfigKey key, int min, int max) {
    int v = c.getInt(key);
    if (v < min || v > max) {
      throw new ConfigException(
          key.name()
              + " must be between "
              + min
              + " and "
              + max
              + " (what the workers render), got "
              + v);
    }
    return v;
  }

  public static ApiLimits defaults() {
    return from(ConfigSource.of(java.util.Map.of()));
  }
}
