package io.cascadefarm.common.dataset;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A webdataset-style archive of a {@code train_lora} dataset, as the official trainer reads its
 * shards: a zip or (ustar) tar whose files pair up by stem, {@code NNN.png} (or {@code .jpg},
 * {@code .jpeg}, {@code .webp}) with {@code NNN.txt} holding the caption (UTF-8; an image without a
 * caption file gets ""). Directories inside are allowed; other files are refused. Reading is
 * bounded: at most {@code maxImages} pairs, {@code maxImageBytes} per image, {@code
 * maxCaptionChars} per caption and {@code maxTotalBytes} decompressed in all (a zip bomb stops
 * there).
 */
public final class DatasetArchive {
  /** One image and its caption. */
  public record Entry(String name, byte[] image, String caption) {}

  /** The bounds of one read. */
  public record Limits(int maxImages, int maxImageBytes, int maxCaptionChars, long maxTotalBytes) {}

  private DatasetArchive() {}

  /** Whether {@code bytes} start like a zip ({@code PK\3\4}) or a tar (ustar magic at 257). */
  public static String format(byte[] bytes) {
    if (bytes.length >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4) {
      return "zip";
    }
    if (bytes.length >= 263
        && new String(bytes, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
      return "tar";
    }
    return null;
  }

  /** The pairs, ordered by name; throws IllegalArgumentException naming the problem. */
  public static List<Entry> read(byte[] bytes, Limits limits) {
    String f = format(bytes);
    if (f == null) {
      throw new IllegalArgumentException("archive: not a zip or tar file");
    }
    Map<String, byte[]> images = new TreeMap<>();
    Map<String, String> captions = new TreeMap<>();
    long[] total = {0};
    try {
      if (f.equals("zip")) {
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(bytes))) {
          for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
            if (!e.isDirectory()) {
              add(e.getName(), z, images, captions, limits, total);
            }
          }
        }
      } else {
        readTar(bytes, images, captions, limits, total);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("archive: cannot be read: " + e.getMessage(), e);
    }
    for (String stem : captions.keySet()) {
      if (!images.containsKey(stem)) {
        throw new IllegalArgumentException("archive: caption " + stem + ".txt has no image");
      }
    }
    if (images.isEmpty()) {
      throw new IllegalArgumentException("archive: no images (NNN.png + NNN.txt pairs)");
    }
    List<Entry> out = new ArrayList<>();
    images.forEach((stem, img) -> out.add(new Entry(stem, img, captions.getOrDefault(stem, ""))));
    return out;
  }

  private static void readTar(
      byte[] b,
      Map<String, byte[]> images,
      Map<String, String> captions,
      Limits limits,
      long[] total)
      throws IOException {
    int off = 0;
    while (off + 512 <= b.length) {
      if (isZero(b, off)) {
        break;
      }
      String name = cstring(b, off, 100);
      String prefix = cstring(b, off + 345, 155);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
      long size =
          Long.parseLong(
              cstring(b, off + 124, 12).trim().isEmpty() ? "0" : cstring(b, off + 124, 12).trim(),
              8);
      char type = (char) b[off + 156];
      off += 512;
      if (size < 0 || off + size > b.length) {
        throw new IOException("truncated entry " + name);
      }
      if (type == '0' || type == 0) {
        add(name, new ByteArrayInputStream(b, off, (int) size), images, captions, limits, total);
      } else if (type != '5' && type != 'x' && type != 'g') {
        throw new IllegalArgumentException("archive: entry " + name + " is not a plain file");
      }
      off += (int) ((size + 511) / 512 * 512);
    }
  }

  private static boolean isZero(byte[] b, int off) {
    for (int i = off; i < off + 512; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static String cstring(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static void add(
      String path,
      InputStream in,
      Map<String, byte[]> images,
      Map<String, String> captions,
      Limits limits,
      long[] total)
      throws IOException {
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    if (name.isEmpty() || name.startsWith(".")) {
      return; // hidden files (e.g. macOS metadata)
    }
    if (dot <= 0) {
      throw new IllegalArgumentException("archive: '" + path + "' has no extension");
    }
    String stem = path.substring(0, path.length() - (name.length() - dot));
    String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
    boolean image = List.of("png", "jpg", "jpeg", "webp").contains(ext);
    if (!image && !ext.equals("txt")) {
      throw new IllegalArgumentException(
          "archive: '" + path + "' is neither an image (png, jpg, webp) nor a caption (txt)");
    }
    int max = image ? limits.maxImageBytes() : limits.maxCaptionChars() * 4 + 4;
    byte[] data = readBounded(in, max, path, total, limits.maxTotalBytes());
    if (image) {
      if (images.put(stem, data) != null) {
        throw new IllegalArgumentException("archive: two images named " + stem);
      }
      if (images.size() > limits.maxImages()) {
        throw new IllegalArgumentException("archive: more than " + limits.maxImages() + " images");
      }
    } else {
      String c = new String(data, StandardCharsets.UTF_8).strip();
      if (c.length() > limits.maxCaptionChars()) {
        throw new IllegalArgumentException(
            "archive: caption " + path + " is longer than " + limits.maxCaptionChars());
      }
      if (c.indexOf('\u0000') >= 0) {
        throw new IllegalArgumentException("archive: caption " + path + " contains NUL");
      }
      captions.put(stem, c);
    }
  }

  private static byte[] readBounded(
      InputStream in, int max, String path, long[] total, long maxTotal) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    for (int n = in.read(buf); n > 0; n = in.read(buf)) {
      out.write(buf, 0, n);
      total[0] += n;
      if (out.size() > max) {
        throw new IllegalArgumentException(
            "archive: '" + path + "' is larger than " + max + " bytes");
      }
      if (total[0] > maxTotal) {
        throw new IllegalArgumentException("archive: more than " + maxTotal + " bytes unpacked");
      }
    }
    return out.toByteArray();
  }
}
