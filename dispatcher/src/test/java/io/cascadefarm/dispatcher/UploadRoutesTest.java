package io.cascadefarm.dispatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UploadRoutesTest {
  static TestApi api;

  @BeforeAll
  static void start() {
    api = new TestApi();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static byte[] image(String format, int w, int h) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, (x * 7) << 16 | (y * 5) << 8 | (x ^ y));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, format, out);
    return out.toByteArray();
  }

  /** A valid PNG signature and IHDR chunk declaring w x h, followed by no pixel data. */
  static byte[] pngHeader(int w, int h) {
    ByteBuffer ihdr = ByteBuffer.allocate(17);
    ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII))
        .putInt(w)
        .putInt(h)
        .put((byte) 8)
        .put((byte) 2)
        .put((byte) 0)
        .put((byte) 0)
        .put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(ihdr.array());
    ByteBuffer b = ByteBuffer.allocate(8 + 4 + 17 + 4);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a})
        .putInt(13)
        .put(ihdr.array())
        .putInt((int) crc.getValue());
    return b.array();
  }

  @Test
  void pngAndJpegAreStoredAsPngUnderTheirHash() throws IOException {
    TestApi.Answer a =
        api.send("POST", "/v1/uploads", image("png", 64, 48), "Content-Type", "image/png");
    assertEquals(201, a.status(), a.text());
    String key = a.json().path("image").asText();
    assertTrue(key.matches("uploads/[0-9a-f]{64}\\.png"), key);
    assertEquals(64, a.json().path("width").asInt());
    BufferedImage stored = ImageIO.read(new ByteArrayInputStream(api.objects.objects.get(key)));
    assertEquals(48, stored.getHeight());
    TestApi.Answer again = api.send("POST", "/v1/uploads", image("png", 64, 48));
    assertEquals(key, again.json().path("image").asText(), "content addressed");
    TestApi.Answer jpeg =
        api.send("POST", "/v1/uploads", image("jpeg", 32, 32), "Content-Type", "image/jpeg");
    assertEquals(201, jpeg.status(), jpeg.text());
    assertTrue(jpeg.json().path("reencoded").asBoolean());
    TestApi.Answer job =
        api.post(
            "/v1/jobs",
            "{\"kind\":\"image_variation\",\"image\":\"" + key + "\",\"model\":\"tiny\"}");
    assertEquals(202, job.status(), job.text());
  }

  @Test
  void nonImagesBombsAndCorruptFilesAreRefusedBeforeDecoding() throws IOException {
    TestApi.Answer text =
        api.send(
            "POST",
            "/v1/uploads",
            "hello".getBytes(StandardCharsets.UTF_8),
            "Content-Type",
            "image/png");
    assertEquals(415, text.status());
    assertEquals("body", text.json().path("error").path("fields").path(0).path("field").asText());
    TestApi.Answer bomb = api.send("POST", "/v1/uploads", pngHeader(100_000, 100_000));
    assertEquals(400, bomb.status(), bomb.text());
    assertTrue(bomb.text().contains("100000x100000"), bomb.text());
    byte[] png = image("png", 64, 64);
    TestApi.Answer cut = api.send("POST", "/v1/uploads", Arrays.copyOf(png, png.length / 2));
    assertEquals(400, cut.status(), cut.text());
    assertEquals(400, api.send("POST", "/v1/uploads", new byte[0]).status());
    assertFalse(api.objects.objects.keySet().stream().anyMatch(k -> !k.startsWith("uploads/")));
  }

  @Test
  void uploadsOverTheLimitAre413() {
    try (TestApi small = new TestApi(java.util.Map.of("farm.api.max-upload-bytes", "1000"))) {
      TestApi.Answer a = small.send("POST", "/v1/uploads", new byte[5000]);
      assertEquals(413, a.status(), a.text());
      assertEquals("too_large", a.json().path("error").path("code").asText());
    }
  }
}
