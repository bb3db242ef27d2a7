/**
 * The gdf diffusion framework of Stable Cascade (official gdf/ at commit 7a7d341, see the parity
 * README): cosine schedule with shift, VP input scaler, CosineTNoiseCond, epsilon target, DDPM
 * sampler and the classifier-free-guided sampling loop, with schedule maths in float32 exactly as
 * torch evaluates it.
 */
package io.cascadefarm.cascade.diffusion;
