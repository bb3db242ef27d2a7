package io.cascadefarm.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * WebP uploads through the HTTP API: real files (see {@code src/test/resources/webp/README.md}) are
 * decoded and stored as PNG; truncated, garbage and oversized ones are refused naming the body.
 */
class WebpUploadTest {
  static TestApi api;

  @BeforeAll
  static void start() {
    api = new TestApi();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static byte[] fixture(String name) throws IOException {
    try (InputStream in = WebpUploadTest.class.getResourceAsStream("/webp/" + name)) {
      return in.readAllBytes();
    }
  }

  private static BufferedImage stored(String key) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(api.objects.objects.get(key)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "lossy-64x48.webp",
        "lossless-64x48.webp",
        "alpha-64x48.webp",
        "animated-64x48.webp"
      })
  void realWebpIsDecodedAndStoredAsPng(String name) throws IOException {
    TestApi.Answer a = api.send("POST", "/v1/uploads", fixture(name), "Content-Type", "image/webp");
    assertEquals(201, a.status(), a.text());
    String key = a.json().path("image").asText();
    assertTrue(key.matches("uploads/[0-9a-f]{64}\\.png"), key);
    assertEquals(64, a.json().path("width").asInt());
    assertEquals(48, a.json().path("height").asInt());
    assertEquals("png", a.json().path("format").asText());
    assertTrue(a.json().path("reencoded").asBoolean());
    byte[] png = api.objects.objects.get(key);
    assertEquals(a.json().path("bytes").asLong(), png.length);
    BufferedImage img = stored(key);
    assertEquals(64, img.getWidth());
    assertEquals(48, img.getHeight());
    TestApi.Answer job =
        api.post(
            "/v1/jobs",
            "{\"kind\":\"image_variation\",\"image\":\"" + key + "\",\"model\":\"tiny\"}");
    assertEquals(202, job.status(), job.text());
  }

  @Test
  void lossyPixelsAndAlphaSurviveTheReencoding() throws IOException {
    BufferedImage lossy = stored(upload("lossy-64x48.webp"));
    int rgb = lossy.getRGB(40, 10); // source pixel (160, 50, 32), lossy q80
    assertTrue(Math.abs((rgb >> 16 & 0xff) - 160) < 16, Integer.toHexString(rgb));
    assertTrue(Math.abs((rgb >> 8 & 0xff) - 50) < 16, Integer.toHexString(rgb));
    BufferedImage alpha = stored(upload("alpha-64x48.webp"));
    assertTrue(alpha.getColorModel().hasAlpha());
    assertEquals(0xff, alpha.getRGB(10, 10) >>> 24, "left half opaque");
    assertEquals(0, alpha.getRGB(40, 10) >>> 24, "right half transparent");
  }

  private static String upload(String name) throws IOException {
    TestApi.Answer a = api.send("POST", "/v1/uploads", fixture(name));
    assertEquals(201, a.status(), a.text());
    return a.json().path("image").asText();
  }

  @Test
  void truncatedAndGarbageWebpAre400NamingTheBody() throws IOException {
    byte[] lossy = fixture("lossy-64x48.webp");
    int storedBefore = api.objects.objects.size();
    assertBad(Arrays.copyOf(lossy, 100), "corrupt or truncated");
    assertBad(Arrays.copyOf(lossy, 20), "not a readable WebP");
    byte[] garbage = Arrays.copyOf(lossy, 200);
    Arrays.fill(garbage, 12, 200, (byte) 0x5a);
    assertBad(garbage, "not a readable WebP");
    byte[] badBits = lossy.clone();
    Arrays.fill(badBits, 30, badBits.length, (byte) 0xa5);
    assertBad(badBits, "corrupt or truncated");
    assertEquals(storedBefore, api.objects.objects.size(), "nothing stored");
  }

  @Test
  void oversizedCanvasOrFrameIsRefusedFromTheHeader() throws IOException {
    byte[] lossless = fixture("lossless-64x48.webp");
    byte[] vp8l = Arrays.copyOfRange(lossless, 12, lossless.length);
    assertBad(extended(10_000, 10_000, vp8l), "10000x10000");
    assertBad(extended(32, 24, vp8l), "64x48 frame in a 32x24 canvas");
    byte[] animated = fixture("animated-64x48.webp");
    System.arraycopy(le24(31), 0, animated, 24, 3);
    System.arraycopy(le24(23), 0, animated, 27, 3);
    assertBad(animated, "64x48 frame at 0,0 in a 32x24 canvas");
  }

  /** A VP8X (extended) WebP declaring a w x h canvas around the given chunks. */
  static byte[] extended(int w, int h, byte[] chunks) {
    ByteBuffer b = ByteBuffer.allocate(30 + chunks.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(22 + chunks.length);
    b.put("WEBPVP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10).putInt(0);
    b.put(le24(w - 1)).put(le24(h - 1)).put(chunks);
    return b.array();
  }

  private static byte[] le24(int v) {
    return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16)};
  }

  private static void assertBad(byte[] body, String messagePart) {
    TestApi.Answer a = api.send("POST", "/v1/uploads", body, "Content-Type", "image/webp");
    assertEquals(400, a.status(), a.text());
    assertEquals("body", a.json().path("error").path("fields").path(0).path("field").asText());
    assertTrue(a.text().contains(messagePart), a.text());
  }

  @Test
  void aWebpKeyAcceptedBeforeThisChangeStillNamesAValidJobInput() throws IOException {
    String legacy = "uploads/" + "ab".repeat(32) + ".webp";
    api.objects.put(legacy, fixture("lossy-64x48.webp"), "image/webp");
    TestApi.Answer job =
        api.post(
            "/v1/jobs",
            "{\"kind\":\"image_variation\",\"image\":\"" + legacy + "\",\"model\":\"tiny\"}");
    assertEquals(202, job.status(), job.text());
  }
}
