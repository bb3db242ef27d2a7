package io.cascadefarm.cascade.pipeline;

import java.awt.image.BufferedImage;

/**
 * One rendered image: pixels, the encoded 8-bit sRGB PNG (with the generation parameters as tEXt
 * chunks), the seed that produced it and its size.
 */
public record GeneratedImage(BufferedImage image, byte[] png, long seed, int width, int height) {}
