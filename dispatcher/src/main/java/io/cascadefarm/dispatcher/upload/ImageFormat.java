package io.cascadefarm.dispatcher.upload;

/** The upload formats, recognised by their magic bytes (the Content-Type header is not trusted). */
public enum ImageFormat {
  PNG,
  JPEG,
  WEBP;

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
