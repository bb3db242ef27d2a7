package io.cascadefarm.common.port;

/** A finished PNG with its size and seed. */
public record RenderedImage(byte[] png, int width, int height, long seed) {}
