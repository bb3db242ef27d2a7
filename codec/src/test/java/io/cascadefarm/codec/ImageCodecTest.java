package io.cascadefarm.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.codec.hostile.HostileFiles;
import io.cascadefarm.codec.image.DecodeBudget;
import io.cascadefarm.codec.image.ImageCodec;
import io.cascadefarm.codec.image.ImageFormat;
import io.cascadefarm.codec.image.ImageHeader;
import io.cascadefarm.codec.image.ImageLimits;
import io.cascadefarm.codec.image.ImageRejectedException;
import io.cascadefarm.codec.image.ImageRejectedException.Reason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageCodecTest {
  private final ImageCodec codec = new ImageCodec(ImageLimits.DEFAULT, DecodeBudget.unlimited());

  static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  /** Decoding {@code bytes} must be refused for {@code reason} while allocating under 4 MB. */
  private void refusedCheaply(byte[] bytes, Reason reason) {
    long before = allocated();
    ImageRejectedException e =
        assertThrows(ImageRejectedException.class, () -> codec.decode(bytes));
    long took = allocated() - before;
    assertEquals(reason, e.reason(), e.getMessage());
    assertTrue(took < 4 << 20, "allocated " + took + " bytes to refuse: " + e.getMessage());
  }

  @Test
  void theIssuesPngBombIsRefusedFromItsHeader() {
    byte[] bomb = HostileFiles.pngAllocationBomb();
    assertTrue(bomb.length < 100, "the bomb is " + bomb.length + " bytes");
    refusedCheaply(bomb, Reason.TOO_LARGE);
    // 16-bit grey of the same size fits the pixel cap and is 80 MB: accepted as a header
    assertEquals(2, ImageHeader.read(HostileFiles.png(8192, 4882, 16, 0)).bytesPerSample());
    refusedCheaply(HostileFiles.png(100_000, 100_000, 8, 2), Reason.TOO_LARGE);
    refusedCheaply(HostileFiles.png(0, 10, 8, 2), Reason.MALFORMED);
    refusedCheaply(HostileFiles.png(10, 10, 7, 2), Reason.MALFORMED);
  }

  @Test
  void jpegAndWebpBombsAreRefusedFromTheirHeaders() {
    refusedCheaply(HostileFiles.jpeg(8000, 8000, 3, false, 1), Reason.TOO_LARGE);
    // progressive: coefficients count too (6000^2 * (3 + 6) > 128 MiB, baseline 108 MB fits)
    assertTrue(
        ImageHeader.read(HostileFiles.jpeg(6000, 6000, 3, false, 1)).decodeBytes()
            < ImageLimits.DEFAULT.maxDecodeBytes());
    // ... but 108 MB from a 60-byte file is a lie: truncated, refused before the decoder
    refusedCheaply(HostileFiles.jpeg(6000, 6000, 3, false, 1), Reason.MALFORMED);
    refusedCheaply(HostileFiles.png(4000, 4000, 8, 6), Reason.MALFORMED);
    refusedCheaply(HostileFiles.jpeg(6000, 6000, 3, true, 1), Reason.TOO_LARGE);
    refusedCheaply(HostileFiles.jpeg(64, 64, 3, true, 500), Reason.TOO_LARGE);
    refusedCheaply(HostileFiles.webp(16384, 16384), Reason.TOO_LARGE);
    refusedCheaply(HostileFiles.webp(6000, 6000), Reason.TOO_LARGE); // 144 MB as ARGB ints
    refusedCheaply(HostileFiles.webp(16383, 100), Reason.TOO_LARGE);
  }

  @Test
  void otherFormatsAreUnsupportedAndGarbageMalformed() throws Exception {
    refusedCheaply("GIF89a........".getBytes(), Reason.UNSUPPORTED);
    BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream bmp = new ByteArrayOutputStream();
    ImageIO.write(img, "bmp", bmp);
    refusedCheaply(bmp.toByteArray(), Reason.UNSUPPORTED);
    byte[] png = ImageCodec.encodePng(img);
    byte[] cut = java.util.Arrays.copyOf(png, png.length / 2);
    refusedCheaply(cut, Reason.MALFORMED);
  }

  @Test
  void realImagesDecode() throws Exception {
    BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    img.setRGB(3, 3, 0xff0000);
    BufferedImage back = codec.decode(ImageCodec.encodePng(img));
    assertEquals(64, back.getWidth());
    assertEquals(0xff0000, back.getRGB(3, 3) & 0xffffff);
    ByteArrayOutputStream jpg = new ByteArrayOutputStream();
    ImageIO.write(img, "jpeg", jpg);
    ImageCodec.Decoded d = codec.decodeToPng(jpg.toByteArray());
    assertEquals(48, d.height());
    assertEquals(ImageFormat.PNG, ImageFormat.sniff(d.png()));
  }

  @Test
  void theBudgetRefusesWhatDoesNotFit() throws Exception {
    ImageCodec small = new ImageCodec(ImageLimits.DEFAULT, new DecodeBudget(1 << 20, 10));
    BufferedImage img = new BufferedImage(1024, 1024, BufferedImage.TYPE_INT_RGB);
    byte[] png = ImageCodec.encodePng(img); // 3 MB decoded, budget 1 MB
    ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> small.decode(png));
    assertEquals(Reason.TOO_LARGE, e.reason(), e.getMessage());
    assertEquals(0, small.budget().reservedBytes());
  }
}
