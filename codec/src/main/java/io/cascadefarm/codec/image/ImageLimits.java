package io.cascadefarm.codec.image;

/**
 * What an image may declare before any decoder sees it: the longest side, the pixel count, and the
 * bytes its decoder will allocate for the decoded raster ({@code width * height * channels *
 * bytes-per-sample}, plus the coefficient buffers of a progressive JPEG), and for a JPEG the number
 * of scans (each progressive scan is a full pass over the coefficients).
 *
 * @param maxSide longest width or height in pixels
 * @param maxPixels most pixels
 * @param maxDecodeBytes most bytes the decoder may allocate for one image
 * @param maxJpegScans most JPEG scans (SOS segments)
 */
public record ImageLimits(int maxSide, long maxPixels, long maxDecodeBytes, int maxJpegScans) {
  /**
   * The limits of the dispatcher's uploads and the workers' inputs: 8192 px a side, 40 MP, 128 MiB
   * decoded (a 40 MP 8-bit RGB photo fits; 16-bit RGBA at that size does not), 100 JPEG scans.
   */
  public static final ImageLimits DEFAULT = new ImageLimits(8192, 40_000_000, 128L << 20, 100);

  public ImageLimits {
    if (maxSide < 1 || maxPixels < 1 || maxDecodeBytes < 1 || maxJpegScans < 1) {
      throw new IllegalArgumentException("image limits must be positive");
    }
  }
}
