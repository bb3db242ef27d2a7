package io.cascadefarm.cascade.model;

import ai.djl.ndarray.NDArray;

/**
 * The EfficientNet "semantic compressor" including its ImageNet normalisation: RGB [B,3,H,W] in
 * [0,1] to Stage C latents [B,16,H/stride,W/stride].
 */
public interface ImageLatentEncoder {
  NDArray encode(NDArray rgb);

  /** Spatial reduction factor (32 for the official encoder). */
  int stride();
}
