/**
 * Building blocks shared by Stage B and Stage C ({@code modules/common.py}): LayerNorm2d, global
 * response norm, ResBlock, TimestepBlock, AttnBlock, the sinusoidal r-embedding and the U-Net level
 * stack with skip handling, repeat mappers and ControlNet injection.
 */
package io.cascadefarm.cascade.net.common;
