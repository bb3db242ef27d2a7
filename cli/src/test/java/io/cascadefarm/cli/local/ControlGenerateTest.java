package io.cascadefarm.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.cascade.model.TinyPreset;
import io.cascadefarm.cascade.pipeline.PngCodec;
import io.cascadefarm.cascade.pipeline.control.TinyLoraWriter;
import io.cascadefarm.cascade.pipeline.control.face.TinyFaceModels;
import io.cascadefarm.cli.Farm;
import java.awt.Color;
import java.awt.Graphics2D;
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

/** {@code farm generate --control ... / --lora ...} on the tiny preset (64 px, 1+1 steps). */
class ControlGenerateTest {
  @TempDir Path tmp;
  static Path input;
  static Path mask;

  @BeforeAll
  static void inputs() throws Exception {
    Path dir = Files.createDirectories(Path.of("target"));
    BufferedImage img = new BufferedImage(48, 40, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.BLUE);
    g.fillRect(0, 0, 48, 40);
    g.setColor(Color.YELLOW);
    g.fillOval(10, 8, 24, 20);
    g.dispose();
    input = dir.resolve("control-input.png");
    ImageIO.write(img, "png", input.toFile());
    BufferedImage m = new BufferedImage(48, 40, BufferedImage.TYPE_INT_RGB);
    Graphics2D mg = m.createGraphics();
    mg.setColor(Color.WHITE);
    mg.fillRect(12, 10, 20, 16);
    mg.dispose();
    mask = dir.resolve("control-mask.png");
    ImageIO.write(m, "png", mask.toFile());
  }

  static Farm generate(Path out, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "generate",
                "--model",
                "tiny",
                "--models-dir",
                GenerateCommandTest.MODELS.toString(),
                "--prompt",
                "a control test",
                "--seed",
                "3",
                "--prior-steps",
                "1",
                "--decoder-steps",
                "1",
                "--out",
                out.toString()));
    a.addAll(Arrays.asList(extra));
    return Farm.run(a.toArray(String[]::new));
  }

  @ParameterizedTest
  @ValueSource(strings = {"canny", "inpaint", "outpaint"})
  void controlTypesRenderThroughTheCli(String control) throws Exception {
    Path out = tmp.resolve(control + ".png");
    List<String> extra =
        new ArrayList<>(
            List.of(
                "--width",
                "64",
                "--height",
                "64",
                "--image",
                input.toString(),
                "--control",
                control));
    if (control.equals("inpaint")) {
      extra.addAll(List.of("--mask", mask.toString()));
    }
    Farm r = generate(out, extra.toArray(String[]::new));
    assertEquals(0, r.exitCode(), r.out() + r.err());
    Map<String, String> meta = PngCodec.readText(Files.readAllBytes(out));
    assertEquals("controlnet", meta.get("kind"), meta.toString());
    assertEquals(64, ImageIO.read(out.toFile()).getWidth());
  }

  @Test
  void superResolutionDefaultsToTwiceTheInputSize() throws Exception {
    Path out = tmp.resolve("sr.png");
    Farm r =
        generate(
            out,
            "--image",
            input.toString(),
            "--control",
            "super_resolution",
            "--control-strength",
            "0.5");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    BufferedImage img = ImageIO.read(out.toFile());
    assertEquals(96, img.getWidth());
    assertEquals(80, img.getHeight());
  }

  @Test
  void loraOptionChangesTheImage() throws Exception {
    Path lora = TinyLoraWriter.write(tmp.resolve("style.safetensors"), 11);
    Path plain = tmp.resolve("plain.png");
    Path styled = tmp.resolve("styled.png");
    String[] size = {"--width", "64", "--height", "64"};
    assertEquals(0, generate(plain, size).exitCode());
    List<String> a = new ArrayList<>(Arrays.asList(size));
    a.addAll(List.of("--lora", "style=" + lora + ":0.9"));
    Farm r = generate(styled, a.toArray(String[]::new));
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertNotEquals(
        Arrays.toString(GenerateCommandTest.pixels(plain)),
        Arrays.toString(GenerateCommandTest.pixels(styled)));
  }

  @Test
  void badControlOptionsAreNamed() {
    Farm unknown =
        generate(tmp.resolve("x.png"), "--image", input.toString(), "--control", "sketch");
    assertNotEquals(0, unknown.exitCode());
    assertTrue(unknown.err().contains("control"), unknown.err());
    Farm lora = generate(tmp.resolve("y.png"), "--lora", "style=/no/such.safetensors:1");
    assertNotEquals(0, lora.exitCode());
    assertTrue(lora.err().contains("--lora style"), lora.err());
  }

  @Test
  void identityRunsWithTinyOnnxFaceModels() throws Exception {
    Path face =
        TinyPreset.prepare(GenerateCommandTest.MODELS.resolve("tiny"))
            .controlNet("identity")
            .getParent()
            .resolve("face");
    TinyFaceModels.write(face, 8);
    Path out = tmp.resolve("face.png");
    Farm r =
        generate(
            out,
            "--width",
            "64",
            "--height",
            "64",
            "--image",
            input.toString(),
            "--control",
            "identity");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertEquals("controlnet", PngCodec.readText(Files.readAllBytes(out)).get("kind"));
  }
}
