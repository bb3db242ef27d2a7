package io.cascadefarm.common.job;

/**
 * How far a running job is: the stage ({@code prior}, {@code decoder}, ... or {@code train}) and
 * denoising step (training: optimizer update), with the loss and learning rate of a training step
 * (null for renders).
 */
public record JobProgress(String stage, int step, int steps, Double loss, Double lr) {
  public JobProgress(String stage, int step, int steps) {
    this(stage, step, steps, null, null);
  }
}
