package io.cascadefarm.worker.cascade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.common.job.JobKind;
import io.cascadefarm.common.job.JobParams;
import io.cascadefarm.common.port.RenderException;
import io.cascadefarm.common.port.RenderTask;
import io.cascadefarm.worker.render.InputLoader;
import io.cascadefarm.worker.render.Retrier;
import io.cascadefarm.worker.testing.FakeObjectStore;
import io.cascadefarm.worker.testing.Fixtures;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A job's input image read from the store by {@link InputLoader} and decoded by {@link
 * RequestMapper}: WebP (as kept under {@code .webp} keys by earlier dispatchers) through the
 * TwelveMonkeys ImageIO plugin, and the PNG the dispatcher now stores for a WebP upload.
 */
class WebpInputTest {
  private final FakeObjectStore objects = new FakeObjectStore();
  private final InputLoader loader =
      new InputLoader(objects, new Retrier(Duration.ofSeconds(1), d -> {}, () -> {}, () -> false));

  static byte[] fixture(String name) throws IOException {
    try (InputStream in = WebpInputTest.class.getResourceAsStream("/webp/" + name)) {
      return in.readAllBytes();
    }
  }

  private BufferedImage decodedInput(String key, byte[] bytes) {
    objects.put(key, bytes, "application/octet-stream");
    JobParams p = Fixtures.params(JobKind.IMAGE_VARIATION, "x", 64, 64, key);
    RenderTask task = new RenderTask(UUID.randomUUID(), 1, p, loader.load(p));
    return RequestMapper.toRequest(task).image();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "lossy-64x48.webp",
        "lossless-64x48.webp",
        "alpha-64x48.webp",
        "animated-64x48.webp"
      })
  void webpInputDecodesToItsSize(String name) throws IOException {
    BufferedImage img = decodedInput("uploads/" + "ab".repeat(32) + ".webp", fixture(name));
    assertEquals(64, img.getWidth());
    assertEquals(48, img.getHeight());
  }

  @Test
  void thePngStoredForAWebpUploadDecodesWithItsPixels() throws IOException {
    BufferedImage webp =
        ImageIO.read(new java.io.ByteArrayInputStream(fixture("alpha-64x48.webp")));
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(webp, "png", png));
    BufferedImage img = decodedInput("uploads/" + "cd".repeat(32) + ".png", png.toByteArray());
    assertEquals(64, img.getWidth());
    assertEquals(48, img.getHeight());
    assertEquals(0xff, img.getRGB(10, 10) >>> 24, "left half opaque");
    assertEquals(0, img.getRGB(40, 10) >>> 24, "right half transparent");
    int rgb = webp.getRGB(10, 10);
    assertEquals(rgb, img.getRGB(10, 10), "PNG is lossless");
    assertFalse(rgb == 0);
  }

  @Test
  void aTruncatedWebpIsInvalidInputNamingTheField() throws IOException {
    byte[] cut = Arrays.copyOf(fixture("lossy-64x48.webp"), 100);
    RenderException e =
        assertThrows(
            RenderException.class, () -> decodedInput("uploads/" + "ef".repeat(32) + ".webp", cut));
    assertTrue(e.getMessage().contains("field image"), e.getMessage());
    assertEquals("invalid_input", e.code());
    assertFalse(e.retryable());
  }
}
