/**
 * The Stable Cascade ControlNet ({@code modules/controlnet.py}): a bottleneck (EfficientNetV2-S
 * features, the "large" residual stack or the "simple" conv pair) and 1x1 projections whose outputs
 * Stage C adds before selected ResBlock calls.
 */
package io.cascadefarm.cascade.net.controlnet;
