/**
 * The gdf diffusion framework of Stable Cascade (spec section 5): cosine schedule with shift, VP
 * input scaler, CosineTNoiseCond, epsilon target, DDPM sampler and the classifier-free-guided
 * sampling loop, with schedule maths in float32 exactly as torch evaluates it.
 */
package io.cascadefarm.cascade.diffusion;
