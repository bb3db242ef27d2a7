package io.cascadefarm.cascade.net.stagea;

import ai.djl.ndarray.NDArray;
import io.cascadefarm.cascade.nn.Module;
import io.cascadefarm.cascade.nn.Scope;

/**
 * torchtools {@code VectorQuantize} at inference: every channel vector {@code z} of an NCHW latent
 * is replaced by its nearest codebook row, with distances computed as {@code |c|^2 + |z|^2 - 2 z.c}
 * (the {@code torch.addmm} form of the reference, so ties break identically).
 */
public final class VectorQuantizer extends Module {
  private final Codebook codebook;

  public VectorQuantizer(long channels, long codebookSize) {
    codebook = child("codebook", new Codebook(codebookSize, channels));
  }

  /** Quantizes an NCHW latent (the encoder output before division by the scale factor). */
  public Quantization quantize(NDArray z) {
    long[] s = z.getShape().getShape();
    NDArray flat = z.transpose(0, 2, 3, 1).reshape(-1, s[1]);
    NDArray cb = Scope.local(codebook.weight.array().duplicate(), z);
    NDArray cbSqr = cb.square().sum(new int[] {1});
    NDArray zSqr = flat.square().sum(new int[] {1}, true);
    NDArray dist = cbSqr.add(zSqr).add(flat.matMul(cb.transpose()).mul(-2f));
    NDArray indices = dist.argMin(1);
    NDArray nearest = cb.get(indices);
    NDArray sq = nearest.sub(flat).square().mean();
    NDArray loss = sq.add(sq.mul(0.25f));
    NDArray quantized = nearest.reshape(s[0], s[2], s[3], s[1]).transpose(0, 3, 1, 2);
    return new Quantization(quantized, indices.reshape(s[0], s[2], s[3]), loss);
  }
}
