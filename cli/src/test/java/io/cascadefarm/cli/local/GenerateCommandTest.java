package io.cascadefarm.cli.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.cascade.pipeline.PngCodec;
import io.cascadefarm.cli.Farm;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code farm generate --model tiny} for every kind: size, metadata, determinism, file names. */
class GenerateCommandTest {
  /** Shared across tests so the tiny random weights are generated once. */
  static final Path MODELS = Path.of("target", "generate-test-models");

  @TempDir Path tmp;
  static Path input;

  @BeforeAll
  static void inputImage() throws Exception {
    BufferedImage img = new BufferedImage(150, 110, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        img.setRGB(x, y, (x * 255 / 150) << 16 | (y * 255 / 110) << 8 | ((x * y) & 0xff));
      }
    }
    input = Files.createDirectories(Path.of("target")).resolve("generate-input.png");
    ImageIO.write(img, "png", input.toFile());
  }

  static List<String> args(Path out, String kind, long seed, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "generate",
                "--model",
                "tiny",
                "--models-dir",
                MODELS.toString(),
                "--prompt",
                "a tiny test",
                "--width",
                "128",
                "--height",
                "96",
                "--seed",
                Long.toString(seed),
                "--prior-steps",
                "2",
                "--decoder-steps",
                "2",
                "--out",
                out.toString()));
    if (!kind.equals("text_to_image")) {
      a.addAll(List.of("--kind", kind, "--image", input.toString()));
    }
    a.addAll(Arrays.asList(extra));
    return a;
  }

  static int[] pixels(Path png) throws Exception {
    BufferedImage img = ImageIO.read(png.toFile());
    return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
  }

  @ParameterizedTest
  @ValueSource(strings = {"text_to_image", "image_to_image", "image_variation", "reconstruct"})
  void everyKindRendersAReproduciblePngWithItsParameters(String kind) throws Exception {
    Path a = tmp.resolve("a.png");
    Path b = tmp.resolve("b.png");
    Path c = tmp.resolve("c.png");
    Farm first = Farm.run(args(a, kind, 7).toArray(String[]::new));
    assertEquals(0, first.exitCode(), first.out() + first.err());
    assertEquals(0, Farm.run(args(b, kind, 7).toArray(String[]::new)).exitCode());
    assertEquals(0, Farm.run(args(c, kind, 8).toArray(String[]::new)).exitCode());

    BufferedImage img = ImageIO.read(a.toFile());
    assertEquals(128, img.getWidth());
    assertEquals(96, img.getHeight());
    assertArrayEquals(pixels(a), pixels(b), "same seed and parameters => identical pixels");
    assertFalse(Arrays.equals(pixels(a), pixels(c)), "another seed => other pixels");

    Map<String, String> meta = PngCodec.readText(Files.readAllBytes(a));
    assertEquals(kind, meta.get("kind"));
    assertEquals("a tiny test", meta.get("prompt"));
    assertEquals("7", meta.get("seed"));
    assertEquals("128", meta.get("width"));
    assertEquals("2", meta.get("decoder_steps"));
    assertTrue(meta.get("model").contains("tiny"), meta.toString());
    assertTrue(first.out().contains("decoder:"), first.out());
    assertTrue(first.out().contains("total:"), first.out());
    assertTrue(first.out().contains("seed 7"), first.out());
  }

  @Test
  void fp16RendersTinyAtTheRequestedSize() throws Exception {
    Path out = tmp.resolve("half.png");
    Farm r = Farm.run(args(out, "text_to_image", 9, "--precision", "fp16").toArray(String[]::new));
    assertEquals(0, r.exitCode(), r.out() + r.err());
    BufferedImage img = ImageIO.read(out.toFile());
    assertEquals(128, img.getWidth());
    assertEquals(96, img.getHeight());
  }

  @Test
  void severalImagesAreNumberedAndSeeded() throws Exception {
    Path out = tmp.resolve("cat.png");
    Farm r =
        Farm.run(
            args(out, "text_to_image", 40, "--images", "2", "--prior-shift", "1.5")
                .toArray(String[]::new));
    assertEquals(0, r.exitCode(), r.out() + r.err());
    Map<String, String> first = PngCodec.readText(Files.readAllBytes(out));
    Map<String, String> second = PngCodec.readText(Files.readAllBytes(tmp.resolve("cat-1.png")));
    assertEquals("40", first.get("seed"));
    assertEquals("41", second.get("seed"));
    assertEquals("1.5", first.get("prior_shift"));
  }

  @Test
  void badInputIsNamed() {
    List<String> badWidth = args(tmp.resolve("x.png"), "text_to_image", 1);
    badWidth.set(badWidth.indexOf("--width") + 1, "100");
    Farm size = Farm.run(badWidth.toArray(String[]::new));
    assertEquals(1, size.exitCode());
    assertTrue(size.err().contains("width"), size.err());
    Farm noImage =
        Farm.run(
            "generate",
            "--model",
            "tiny",
            "--kind",
            "reconstruct",
            "--out",
            tmp.resolve("y.png").toString());
    assertEquals(1, noImage.exitCode());
    assertTrue(noImage.err().contains("needs --image"), noImage.err());
    Farm missing =
        Farm.run(
            "generate",
            "--model",
            "lite",
            "--models-dir",
            tmp.toString(),
            "--prompt",
            "x",
            "--out",
            tmp.resolve("z.png").toString());
    assertEquals(1, missing.exitCode());
    assertTrue(missing.err().contains("farm models pull --variant lite"), missing.err());
    Farm fp16 =
        Farm.run(
            "generate",
            "--model",
            "big",
            "--precision",
            "fp16",
            "--prompt",
            "x",
            "--out",
            tmp.resolve("w.png").toString());
    assertEquals(1, fp16.exitCode());
    assertTrue(fp16.err().contains("refused for --model big"), fp16.err());
  }
}
