package io.cascadefarm.cascade.model;

import ai.djl.ndarray.NDArray;

/** Stage A's decoder as the pipeline uses it: Stage B latents [B,4,h,w] to RGB [B,3,4h,4w]. */
@FunctionalInterface
public interface LatentDecoder {
  /** Decodes; the result (nominally in [0,1]) lives in the manager of {@code latents}. */
  NDArray decode(NDArray latents);
}
