package io.cascadefarm.cascade.diffusion;

import ai.djl.ndarray.NDArray;

/**
 * The outcome of a sampling run: {@code x0} of the last step (what the official pipeline keeps,
 * official gdf/__init__.py GDF.sample) and the final noisy state {@code x} (discarded by the
 * pipeline, kept for parity).
 */
public record SamplingResult(NDArray x0, NDArray x) {}
