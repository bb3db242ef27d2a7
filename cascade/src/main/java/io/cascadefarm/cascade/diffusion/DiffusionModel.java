package io.cascadefarm.cascade.diffusion;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * A noise-predicting network as the sampler sees it: epsilon for latents {@code x} [N,...] at noise
 * levels {@code r} [N], given named conditioning tensors (each with N rows). Stage C takes {@code
 * clip_text}, {@code clip_text_pooled}, {@code clip_img}; Stage B {@code effnet}, {@code clip}.
 */
@FunctionalInterface
public interface DiffusionModel {

  /** Returns the epsilon prediction, same shape as {@code x}. */
  NDArray predict(NDArray x, NDArray r, Map<String, NDArray> conditions);
}
