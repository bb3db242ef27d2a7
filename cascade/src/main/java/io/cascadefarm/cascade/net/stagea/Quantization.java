package io.cascadefarm.cascade.net.stagea;

import ai.djl.ndarray.NDArray;

/**
 * Result of {@link VectorQuantizer#quantize}.
 *
 * @param quantized nearest codebook vectors, same shape as the input (NCHW)
 * @param indices codebook index per position, int64 (B, H, W)
 * @param loss 0-dim {@code vq_loss + 0.25 * commit_loss} (both the mean squared distance)
 */
public record Quantization(NDArray quantized, NDArray indices, NDArray loss) {}
