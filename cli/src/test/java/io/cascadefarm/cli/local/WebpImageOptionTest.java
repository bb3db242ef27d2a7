package io.cascadefarm.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code farm generate --image} reads a WebP file (ImageIO plugin on the CLI's class path). */
class WebpImageOptionTest {
  @TempDir Path dir;

  private static byte[] lossyWebp() throws IOException {
    try (InputStream in = WebpImageOptionTest.class.getResourceAsStream("/webp/lossy-64x48.webp")) {
      return in.readAllBytes();
    }
  }

  @Test
  void aWebpInputImageIsReadToItsSize() throws IOException {
    Path file = Files.write(dir.resolve("in.webp"), lossyWebp());
    BufferedImage img = GenerateOptions.read("--image", file);
    assertEquals(64, img.getWidth());
    assertEquals(48, img.getHeight());
  }

  @Test
  void aTruncatedWebpIsAReadError() throws IOException {
    Path file = Files.write(dir.resolve("cut.webp"), Arrays.copyOf(lossyWebp(), 100));
    assertThrows(IOException.class, () -> GenerateOptions.read("--image", file));
  }
}
