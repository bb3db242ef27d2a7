package io.cascadefarm.cascade.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PngCodecTest {

  @Test
  void parametersRoundTripThroughTextChunks() {
    float[] chw = new float[3 * 4 * 6];
    for (int i = 0; i < chw.length; i++) {
      chw[i] = (i % 7) / 5f - 0.2f; // includes values outside [0,1]
    }
    BufferedImage img = ImageTensors.toImage(chw, 0, 4, 6);
    GenerationRequest r =
        GenerationRequest.builder(GenerationKind.TEXT_TO_IMAGE)
            .prompt("a red fox, 狐")
            .negativePrompt("blurry")
            .size(1024, 768)
            .seed(42L)
            .build();
    Map<String, String> meta = GenerationMetadata.of(r, 43, "lite");
    byte[] png = PngCodec.encode(img, meta);

    Map<String, String> back = PngCodec.readText(png);
    assertEquals(meta, Map.copyOf(back));
    assertEquals("a red fox, 狐", back.get("prompt"));
    assertEquals("43", back.get("seed"));
    assertEquals("20", back.get("prior_steps"));
    assertEquals("1.1", back.get("decoder_guidance"));

    BufferedImage decoded = PngCodec.decode(png);
    assertEquals(6, decoded.getWidth());
    assertEquals(4, decoded.getHeight());
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 6; x++) {
        assertEquals(img.getRGB(x, y), decoded.getRGB(x, y));
      }
    }
  }

  @Test
  void pixelsAreClampedAndRounded() {
    assertEquals(0, ImageTensors.to8Bit(-0.5f));
    assertEquals(255, ImageTensors.to8Bit(1.7f));
    assertEquals(128, ImageTensors.to8Bit(0.5f));
    assertEquals(0, ImageTensors.to8Bit(Float.NaN));
  }
}
