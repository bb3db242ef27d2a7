package io.cascadefarm.common.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** Zip and tar datasets: pairing by stem, captions, refusals and bounds. */
class DatasetArchiveTest {
  static final DatasetArchive.Limits LIMITS = new DatasetArchive.Limits(3, 100, 20, 1000);

  static byte[] zip(Map<String, byte[]> files) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return out.toByteArray();
  }

  /** A ustar archive written by hand (what tar and webdataset's writers produce). */
  static byte[] tar(Map<String, byte[]> files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      byte[] h = new byte[512];
      put(h, 0, e.getKey());
      put(h, 100, "0000644");
      put(h, 108, "0000000");
      put(h, 116, "0000000");
      put(h, 124, String.format("%011o", e.getValue().length));
      put(h, 136, "00000000000");
      h[156] = '0';
      put(h, 257, "ustar");
      put(h, 263, "00");
      for (int i = 148; i < 156; i++) {
        h[i] = ' ';
      }
      int sum = 0;
      for (byte b : h) {
        sum += b & 0xff;
      }
      put(h, 148, String.format("%06o", sum));
      h[154] = 0;
      out.writeBytes(h);
      out.writeBytes(e.getValue());
      out.writeBytes(new byte[(512 - e.getValue().length % 512) % 512]);
    }
    out.writeBytes(new byte[1024]);
    return out.toByteArray();
  }

  private static void put(byte[] h, int off, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, b.length);
  }

  static Map<String, byte[]> files() {
    Map<String, byte[]> f = new LinkedHashMap<>();
    f.put("shard/000.png", new byte[] {1, 2, 3});
    f.put("shard/000.txt", " a dog\n".getBytes(StandardCharsets.UTF_8));
    f.put("shard/001.jpg", new byte[] {4});
    f.put("shard/", new byte[0]);
    return f;
  }

  @Test
  void zipAndTarPairImagesWithCaptions() throws Exception {
    Map<String, byte[]> f = files();
    f.remove("shard/");
    for (byte[] archive : List.of(zip(f), tar(f))) {
      List<DatasetArchive.Entry> e = DatasetArchive.read(archive, LIMITS);
      assertEquals(2, e.size());
      assertEquals("a dog", e.get(0).caption());
      assertArrayEquals(new byte[] {1, 2, 3}, e.get(0).image());
      assertEquals("", e.get(1).caption(), "an image without a .txt gets an empty caption");
    }
    assertEquals("zip", DatasetArchive.format(zip(f)));
    assertEquals("tar", DatasetArchive.format(tar(f)));
  }

  @Test
  void refusesWhatIsNotADataset() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> DatasetArchive.read(new byte[10], LIMITS));
    Map<String, byte[]> other = new LinkedHashMap<>(Map.of("a/000.exe", new byte[] {1}));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> DatasetArchive.read(zip(other), LIMITS))
            .getMessage()
            .contains("neither an image"));
    Map<String, byte[]> orphan = new LinkedHashMap<>(Map.of("001.txt", new byte[] {'x'}));
    orphan.put("002.png", new byte[] {1});
    assertThrows(IllegalArgumentException.class, () -> DatasetArchive.read(zip(orphan), LIMITS));
    Map<String, byte[]> many = new LinkedHashMap<>();
    for (int i = 0; i < 4; i++) {
      many.put(i + ".png", new byte[] {1});
    }
    assertThrows(IllegalArgumentException.class, () -> DatasetArchive.read(tar(many), LIMITS));
    Map<String, byte[]> big = new LinkedHashMap<>(Map.of("0.png", new byte[101]));
    assertThrows(IllegalArgumentException.class, () -> DatasetArchive.read(zip(big), LIMITS));
    Map<String, byte[]> longCaption = new LinkedHashMap<>(Map.of("0.png", new byte[] {1}));
    longCaption.put("0.txt", "x".repeat(21).getBytes(StandardCharsets.UTF_8));
    assertThrows(
        IllegalArgumentException.class, () -> DatasetArchive.read(zip(longCaption), LIMITS));
    // a zip bomb stops at the total bound
    Map<String, byte[]> bomb = new LinkedHashMap<>();
    for (int i = 0; i < 3; i++) {
      bomb.put(i + ".png", new byte[99]);
      bomb.put(i + ".txt", new byte[0]);
    }
    DatasetArchive.Limits tight = new DatasetArchive.Limits(3, 100, 20, 250);
    assertThrows(IllegalArgumentException.class, () -> DatasetArchive.read(zip(bomb), tight));
  }
}
