package io.cascadefarm.codec.image;

/**
 * The accepted image formats, recognised by their magic bytes (a Content-Type header or a file name
 * is never trusted). Nothing else is decoded.
 */
public enum ImageFormat {
  PNG("png"),
  JPEG("jpeg"),
  WEBP("webp");

  private final String readerName;

  ImageFormat(String readerName) {
    this.readerName = readerName;
  }

  /** The ImageIO format name of its reader. */
  String readerName() {
    return readerName;
  }

  /** The format of {@code b}, or null when it is none of them. */
  public static ImageFormat sniff(byte[] b) {
    if (b.length >= 8
        && (b[0] & 0xff) == 0x89
        && b[1] == 'P'
        && b[2] == 'N'
        && b[3] == 'G'
        && b[4] == 0x0d
        && b[5] == 0x0a
        && b[6] == 0x1a
        && b[7] == 0x0a) {
      return PNG;
    }
    if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
      return JPEG;
    }
    if (b.length >= 16
        && b[0] == 'R'
        && b[1] == 'I'
        && b[2] == 'F'
        && b[3] == 'F'
        && b[8] == 'W'
        && b[9] == 'E'
        && b[10] == 'B'
        && b[11] == 'P') {
      return WEBP;
    }
    return null;
  }
}
