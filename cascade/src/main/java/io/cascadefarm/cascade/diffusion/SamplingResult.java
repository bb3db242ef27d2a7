package io.cascadefarm.cascade.diffusion;

import ai.djl.ndarray.NDArray;

/**
 * The outcome of a sampling run: {@code x0} of the last step (what the official pipeline keeps,
 * spec 5.7) and the final noisy state {@code x} (discarded by the pipeline, kept for parity).
 */
public record SamplingResult(NDArray x0, NDArray x) {}
