package io.cascadefarm.dispatcher.upload;

/**
 * The answer to an upload: the key to put in a job's {@code image} or {@code mask}, the image size,
 * the stored format and whether it was re-encoded to PNG.
 */
public record UploadResult(
    String image, int width, int height, String format, long bytes, boolean reencoded) {}
