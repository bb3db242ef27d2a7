package io.cascadefarm.cascade.text;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2/CLIP byte-to-character table ({@code bytes_to_unicode}): printable Latin-1 bytes map to
 * themselves, every other byte to {@code U+0100 + n} in increasing byte order, so that any UTF-8
 * byte sequence becomes a string of visible characters.
 */
final class ByteLevelAlphabet {
  private static final char[] BYTE_TO_CHAR = buildTable();

  private ByteLevelAlphabet() {}

  /** The character standing for one byte value (0..255). */
  static char charOf(int unsignedByte) {
    return BYTE_TO_CHAR[unsignedByte];
  }

  /** UTF-8 encodes {@code text} and maps every byte through the table. */
  static String encode(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length);
    for (byte b : bytes) {
      out.append(BYTE_TO_CHAR[b & 0xff]);
    }
    return out.toString();
  }

  private static char[] buildTable() {
    char[] table = new char[256];
    int next = 0;
    for (int b = 0; b < 256; b++) {
      if (isPrintable(b)) {
        table[b] = (char) b;
      } else {
        table[b] = (char) (256 + next++);
      }
    }
    return table;
  }

  private static boolean isPrintable(int b) {
    return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
  }
}
