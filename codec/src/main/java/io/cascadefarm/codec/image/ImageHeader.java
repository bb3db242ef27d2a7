package io.cascadefarm.codec.image;

import io.cascadefarm.codec.image.ImageRejectedException.Reason;

/**
 * What an image's header declares, read from the bytes without decoding anything: format, size,
 * channels and bits per sample, and so the bytes its decoder will allocate. {@link #read} parses
 * the header by hand (PNG IHDR, JPEG SOF and scan count, WebP VP8/VP8L/VP8X and every frame), so
 * that {@link #check} can refuse a decompression or allocation bomb before any decoder runs.
 *
 * @param format the sniffed format
 * @param width declared width in pixels
 * @param height declared height in pixels
 * @param channels samples per pixel the decoder produces
 * @param bytesPerSample bytes per sample (2 for 16-bit PNG)
 * @param extraBytesPerPixel further bytes per pixel the decoder keeps (progressive JPEG
 *     coefficients)
 * @param scans JPEG scans (1 for other formats)
 * @param fileBytes size of the file: a PNG or JPEG that declares more pixels than its bytes can
 *     encode is truncated, and refused before its decoder allocates the raster
 */
public record ImageHeader(
    ImageFormat format,
    int width,
    int height,
    int channels,
    int bytesPerSample,
    int extraBytesPerPixel,
    int scans,
    long fileBytes) {

  /**
   * Largest ratio of decoded to file bytes a PNG can reach: deflate's ceiling is about 1032:1 (a
   * little over that here for the filter bytes).
   */
  static final long PNG_MAX_RATIO = 1100;

  /**
   * Most pixels per file byte of a JPEG: every 8x8 block of the first component takes at least two
   * bits (DC difference and end of block), i.e. one byte per 32 pixels; 512 leaves a wide margin.
   */
  static final long JPEG_MAX_PIXELS_PER_BYTE = 512;

  /** Bytes the decoder allocates for this image (raster plus per-pixel working buffers). */
  public long decodeBytes() {
    return (long) width * height * ((long) channels * bytesPerSample + extraBytesPerPixel);
  }

  /** Refuses the image when it exceeds {@code limits}. */
  public ImageHeader check(ImageLimits limits) {
    if (width <= 0 || height <= 0) {
      throw new ImageRejectedException(
          Reason.MALFORMED, "declares an empty size " + width + "x" + height);
    }
    if (width > limits.maxSide()
        || height > limits.maxSide()
        || (long) width * height > limits.maxPixels()) {
      throw new ImageRejectedException(
          Reason.TOO_LARGE,
          "declares "
              + width
              + "x"
              + height
              + " pixels; at most "
              + limits.maxSide()
              + " px a side and "
              + limits.maxPixels()
              + " pixels are accepted");
    }
    if (decodeBytes() > limits.maxDecodeBytes()) {
      throw new ImageRejectedException(
          Reason.TOO_LARGE,
          "declares "
              + width
              + "x"
              + height
              + " pixels of "
              + channels
              + " channel(s) at "
              + 8 * bytesPerSample
              + " bits, "
              + decodeBytes()
              + " bytes to decode; at most "
              + limits.maxDecodeBytes()
              + " are accepted");
    }
    long pixels = (long) width * height;
    if ((format == ImageFormat.PNG && decodeBytes() > PNG_MAX_RATIO * fileBytes)
        || (format == ImageFormat.JPEG && pixels > JPEG_MAX_PIXELS_PER_BYTE * fileBytes)) {
      throw new ImageRejectedException(
          Reason.MALFORMED,
          "is truncated: it declares "
              + width
              + "x"
              + height
              + " pixels but holds only "
              + fileBytes
              + " bytes, fewer than any "
              + format
              + " of that size");
    }
    if (scans > limits.maxJpegScans()) {
      throw new ImageRejectedException(
          Reason.TOO_LARGE,
          "has " + scans + " JPEG scans; at most " + limits.maxJpegScans() + " are accepted");
    }
    return this;
  }

  /** Reads the header of {@code b}; throws {@link ImageRejectedException} when it cannot. */
  public static ImageHeader read(byte[] b) {
    ImageFormat f = ImageFormat.sniff(b);
    if (f == null) {
      throw new ImageRejectedException(Reason.UNSUPPORTED, "is not a PNG, JPEG or WebP image");
    }
    return switch (f) {
      case PNG -> png(b);
      case JPEG -> jpeg(b);
      case WEBP -> webp(b);
    };
  }

  private static ImageHeader png(byte[] b) {
    // signature (8), then the IHDR chunk: length 13, "IHDR", w, h, depth, colour type, ...
    if (b.length < 33
        || be32(b, 8) != 13
        || b[12] != 'I'
        || b[13] != 'H'
        || b[14] != 'D'
        || b[15] != 'R') {
      throw malformed("is a truncated PNG (no IHDR chunk)");
    }
    long w = be32(b, 16);
    long h = be32(b, 20);
    int depth = b[24] & 0xff;
    int colour = b[25] & 0xff;
    int channels =
        switch (colour) {
          case 0, 3 -> 1;
          case 2 -> 3;
          case 4 -> 2;
          case 6 -> 4;
          default -> throw malformed("is a PNG with an unknown colour type " + colour);
        };
    boolean depthOk =
        switch (colour) {
          case 0 -> depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
          case 3 -> depth == 1 || depth == 2 || depth == 4 || depth == 8;
          default -> depth == 8 || depth == 16;
        };
    if (!depthOk) {
      throw malformed("is a PNG with bit depth " + depth + " for colour type " + colour);
    }
    return new ImageHeader(
        ImageFormat.PNG, clamp(w), clamp(h), channels, depth == 16 ? 2 : 1, 0, 1, b.length);
  }

  private static ImageHeader jpeg(byte[] b) {
    int at = 2;
    int width = -1;
    int height = -1;
    int components = 0;
    int precision = 8;
    boolean progressive = false;
    int scans = 0;
    while (at + 4 <= b.length) {
      if ((b[at] & 0xff) != 0xff) {
        throw malformed("is a malformed JPEG (no marker at byte " + at + ")");
      }
      int marker = b[at + 1] & 0xff;
      if (marker == 0xff) {
        at++; // fill byte
        continue;
      }
      if (marker == 0xd9) {
        break; // EOI
      }
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        at += 2; // markers without a length
        continue;
      }
      int len = be16(b, at + 2);
      if (len < 2 || at + 2 + len > b.length) {
        throw malformed("is a truncated JPEG (segment at byte " + at + ")");
      }
      if (isSof(marker)) {
        if (len < 8) {
          throw malformed("is a JPEG with a short frame header");
        }
        if (width >= 0) {
          throw malformed("is a JPEG with more than one frame header");
        }
        precision = b[at + 4] & 0xff;
        height = be16(b, at + 5);
        width = be16(b, at + 7);
        components = b[at + 9] & 0xff;
        progressive = marker == 0xc2 || marker == 0xc6 || marker == 0xca || marker == 0xce;
        if (height == 0) {
          throw malformed("is a JPEG whose height is defined later (DNL), which is not accepted");
        }
        if (components < 1 || components > 4) {
          throw malformed("is a JPEG with " + components + " components");
        }
      }
      at += 2 + len;
      if (marker == 0xda) {
        scans++;
        at = skipEntropyData(b, at);
      }
    }
    if (width < 0) {
      throw malformed("is a JPEG without a frame header (SOF)");
    }
    if (scans == 0) {
      throw malformed("is a JPEG without image data (no scan)");
    }
    int bytes = precision > 8 ? 2 : 1;
    // a progressive JPEG keeps every DCT coefficient (2 bytes each) until the last scan
    int extra = progressive ? 2 * components : 0;
    return new ImageHeader(
        ImageFormat.JPEG, width, height, components, bytes, extra, scans, b.length);
  }

  /** The index of the next marker after entropy-coded data starting at {@code at}. */
  private static int skipEntropyData(byte[] b, int at) {
    int i = at;
    while (i + 1 < b.length) {
      if ((b[i] & 0xff) == 0xff) {
        int next = b[i + 1] & 0xff;
        if (next != 0 && !(next >= 0xd0 && next <= 0xd7) && next != 0xff) {
          return i;
        }
      }
      i++;
    }
    return b.length;
  }

  private static boolean isSof(int m) {
    return m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc;
  }

  private static ImageHeader webp(byte[] b) {
    int[] dims = WebpHeader.dimensions(b);
    if (dims == null) {
      throw malformed("is not a readable WebP image (unknown or truncated header)");
    }
    String oversized = WebpHeader.oversizedFrame(b, dims[0], dims[1]);
    if (oversized != null) {
      throw malformed("is a malformed WebP image: it declares " + oversized);
    }
    // decoded to one int (ARGB) per pixel
    return new ImageHeader(ImageFormat.WEBP, dims[0], dims[1], 4, 1, 0, 1, b.length);
  }

  private static ImageRejectedException malformed(String message) {
    return new ImageRejectedException(Reason.MALFORMED, message);
  }

  private static int clamp(long v) {
    return (int) Math.min(Integer.MAX_VALUE, v);
  }

  private static long be32(byte[] b, int i) {
    return ((long) (b[i] & 0xff) << 24)
        | ((b[i + 1] & 0xff) << 16)
        | ((b[i + 2] & 0xff) << 8)
        | (b[i + 3] & 0xff);
  }

  private static int be16(byte[] b, int i) {
    return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }
}
