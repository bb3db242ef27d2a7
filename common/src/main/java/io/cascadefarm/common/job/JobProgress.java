package io.cascadefarm.common.job;

/** How far a running job is: the stage ({@code prior}, {@code decoder}, ...) and denoising step. */
public record JobProgress(String stage, int step, int steps) {}
