package io.cascadefarm.dispatcher.upload;

/**
 * Reads a WebP image's canvas size from its first chunk (VP8, VP8L or VP8X) without decoding, for
 * the decompression-bomb check. Returns null when the header is truncated or unknown.
 */
final class WebpHeader {
  private WebpHeader() {}

  static int[] dimensions(byte[] b) {
    if (b.length < 30) {
      return null;
    }
    String chunk = new String(b, 12, 4, java.nio.charset.StandardCharsets.US_ASCII);
    switch (chunk) {
      case "VP8 ":
        if ((b[23] & 0xff) != 0x9d || (b[24] & 0xff) != 0x01 || (b[25] & 0xff) != 0x2a) {
          return null;
        }
        return new int[] {le16(b, 26) & 0x3fff, le16(b, 28) & 0x3fff};
      case "VP8L":
        if ((b[20] & 0xff) != 0x2f) {
          return null;
        }
        int bits =
            (b[21] & 0xff) | (b[22] & 0xff) << 8 | (b[23] & 0xff) << 16 | (b[24] & 0xff) << 24;
        return new int[] {(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1};
      case "VP8X":
        return new int[] {le24(b, 24) + 1, le24(b, 27) + 1};
      default:
        return null;
    }
  }

  private static int le16(byte[] b, int i) {
    return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
  }

  private static int le24(byte[] b, int i) {
    return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16;
  }
}
