package io.cascadefarm.cascade.net.stagea;

import ai.djl.ndarray.NDArray;

/**
 * Result of {@link StageA#encode}.
 *
 * @param latent encoder output divided by the scale factor (the Stage B latent space)
 * @param quantized quantized latent divided by the scale factor; null unless quantizing
 * @param indices codebook indices (int64, B x h x w); null unless quantizing
 * @param loss 0-dim VQ loss; null unless quantizing
 */
public record StageAEncoding(NDArray latent, NDArray quantized, NDArray indices, NDArray loss) {

  /** What {@code forward} decodes: the quantized latent when present, else the latent. */
  public NDArray decoderInput() {
    return quantized != null ? quantized : latent;
  }
}
