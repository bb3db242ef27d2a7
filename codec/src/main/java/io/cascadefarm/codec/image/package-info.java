/**
 * Image decoding with limits checked from the header before any decoder allocates: {@link
 * io.cascadefarm.codec.image.ImageCodec} is the only user of {@code javax.imageio} for untrusted
 * input in the farm.
 */
package io.cascadefarm.codec.image;
