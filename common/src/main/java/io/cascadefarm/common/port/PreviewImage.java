package io.cascadefarm.common.port;

/** A live preview handed to {@link RenderListener#onPreview}: PNG bytes and their size. */
public record PreviewImage(byte[] png, int width, int height) {}
