package io.cascadefarm.cascade.model;

import ai.djl.ndarray.NDArray;

/** The Previewer: Stage C latents [B,16,h,w] to a small RGB preview [B,3,8h,8w] in [0,1]. */
@FunctionalInterface
public interface LatentPreviewer {
  NDArray preview(NDArray latents);
}
