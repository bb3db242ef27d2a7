package io.cascadefarm.codec.image;

import java.nio.charset.StandardCharsets;

/**
 * Reads a WebP image's sizes without decoding, for the decompression-bomb checks: the canvas size
 * from the first chunk (VP8, VP8L or VP8X), and, for an extended (VP8X) file, whether every image
 * bitstream and animation frame fits in that canvas, so a small canvas cannot hide a huge frame.
 */
final class WebpHeader {
  private static final int HEADER = 12;

  private WebpHeader() {}

  /** The canvas {width, height}, or null when the header is truncated or unknown. */
  static int[] dimensions(byte[] b) {
    if (b.length < 30) {
      return null;
    }
    if ("VP8X".equals(chunkId(b, HEADER))) {
      return new int[] {le24(b, 24) + 1, le24(b, 27) + 1};
    }
    return bitstreamSize(b, HEADER);
  }

  /**
   * A description of the first bitstream or animation frame larger than the {@code w} x {@code h}
   * canvas, or null when all fit (unknown and truncated chunks are left to the decoder).
   */
  static String oversizedFrame(byte[] b, int w, int h) {
    return walk(b, HEADER, b.length, w, h, true);
  }

  private static String walk(byte[] b, int from, int to, int w, int h, boolean frames) {
    int at = from;
    while (at + 8 <= to) {
      String id = chunkId(b, at);
      long size = le32(b, at + 4);
      int[] d = "VP8 ".equals(id) || "VP8L".equals(id) ? bitstreamSize(b, at) : null;
      if (d != null && (d[0] > w || d[1] > h)) {
        return "a " + d[0] + "x" + d[1] + " frame in a " + w + "x" + h + " canvas";
      }
      if (frames && "ANMF".equals(id) && at + 24 <= to) {
        int x = le24(b, at + 8) * 2;
        int y = le24(b, at + 11) * 2;
        int fw = le24(b, at + 14) + 1;
        int fh = le24(b, at + 17) + 1;
        if ((long) x + fw > w || (long) y + fh > h) {
          return "a "
              + fw
              + "x"
              + fh
              + " frame at "
              + x
              + ","
              + y
              + " in a "
              + w
              + "x"
              + h
              + " canvas";
        }
        String inner = walk(b, at + 24, (int) Math.min(to, at + 8 + size), fw, fh, false);
        if (inner != null) {
          return inner;
        }
      }
      long next = at + 8 + size + (size & 1);
      if (next >= to) {
        break;
      }
      at = (int) next;
    }
    return null;
  }

  /** The size in a VP8 or VP8L chunk starting at {@code at}, or null when unreadable. */
  private static int[] bitstreamSize(byte[] b, int at) {
    if (at + 18 > b.length) {
      return null;
    }
    switch (chunkId(b, at)) {
      case "VP8 ":
        if ((b[at + 11] & 0xff) != 0x9d
            || (b[at + 12] & 0xff) != 0x01
            || (b[at + 13] & 0xff) != 0x2a) {
          return null;
        }
        return new int[] {le16(b, at + 14) & 0x3fff, le16(b, at + 16) & 0x3fff};
      case "VP8L":
        if ((b[at + 8] & 0xff) != 0x2f) {
          return null;
        }
        long bits = le32(b, at + 9);
        return new int[] {(int) (bits & 0x3fff) + 1, (int) ((bits >>> 14) & 0x3fff) + 1};
      default:
        return null;
    }
  }

  private static String chunkId(byte[] b, int at) {
    return new String(b, at, 4, StandardCharsets.US_ASCII);
  }

  private static int le16(byte[] b, int i) {
    return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
  }

  private static int le24(byte[] b, int i) {
    return le16(b, i) | (b[i + 2] & 0xff) << 16;
  }

  private static long le32(byte[] b, int i) {
    return (le24(b, i) | (long) (b[i + 3] & 0xff) << 24);
  }
}
