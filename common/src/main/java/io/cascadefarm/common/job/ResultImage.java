package io.cascadefarm.common.job;

/** One rendered image: its object-store key, size and the seed that reproduces it. */
public record ResultImage(String key, int width, int height, long seed) {}
