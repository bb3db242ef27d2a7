package io.cascadefarm.cli.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cascadefarm.cascade.pipeline.PngCodec;
import io.cascadefarm.cascade.pipeline.TensorFiles;
import io.cascadefarm.cli.Farm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code farm generate} with the issue-18 flags: {@code --kind prior} writes the Stage C latents
 * and {@code --kind decode --embeddings} renders them to the text-to-image pixels; {@code
 * --sampler}, {@code --noise}, {@code --cfg-rescale}, {@code --decoder-negative-prompt} and a
 * custom grid reach the render and its PNG text; {@code --image} repeats for image variation.
 */
class GenerateControlsTest {
  @TempDir Path tmp;

  @BeforeAll
  static void input() throws Exception {
    GenerateCommandTest.inputImage();
  }

  static Farm run(List<String> args) {
    return Farm.run(args.toArray(String[]::new));
  }

  @Test
  void priorThenDecodeIsTextToImage() throws Exception {
    Path full = tmp.resolve("full.png");
    Path prior = tmp.resolve("prior.safetensors");
    Path decoded = tmp.resolve("decoded.png");
    Farm f = run(GenerateCommandTest.args(full, "text_to_image", 12));
    assertEquals(0, f.exitCode(), f.out() + f.err());
    Farm p = run(GenerateCommandTest.args(prior, "text_to_image", 12, "--kind", "prior"));
    assertEquals(0, p.exitCode(), p.out() + p.err());
    assertTrue(TensorFiles.read(Files.readAllBytes(prior)).containsKey("image_embeddings"));
    Farm d =
        run(
            GenerateCommandTest.args(
                decoded,
                "text_to_image",
                12,
                "--kind",
                "decode",
                "--embeddings",
                prior.toString()));
    assertEquals(0, d.exitCode(), d.out() + d.err());
    assertArrayEquals(GenerateCommandTest.pixels(full), GenerateCommandTest.pixels(decoded));
  }

  @Test
  void samplingFlagsReachTheRender() throws Exception {
    Path plain = tmp.resolve("plain.png");
    Path tuned = tmp.resolve("tuned.png");
    assertEquals(0, run(GenerateCommandTest.args(plain, "text_to_image", 3)).exitCode());
    Farm t =
        run(
            GenerateCommandTest.args(
                tuned,
                "text_to_image",
                3,
                "--sampler",
                "ddim",
                "--noise",
                "torch",
                "--cfg-rescale",
                "0",
                "--decoder-negative-prompt",
                "blurry",
                "--prior-timesteps",
                "1,0.6,0"));
    assertEquals(0, t.exitCode(), t.out() + t.err());
    Map<String, String> meta = PngCodec.readText(Files.readAllBytes(tuned));
    assertEquals("ddim", meta.get("sampler"));
    assertEquals("torch", meta.get("noise"));
    assertEquals("0.0", meta.get("cfg_rescale"));
    assertEquals("blurry", meta.get("decoder_negative_prompt"));
    assertEquals("[1.0, 0.6, 0.0]", meta.get("prior_timesteps"));
    assertEquals("2", meta.get("prior_steps"));
    assertFalse(
        Arrays.equals(GenerateCommandTest.pixels(plain), GenerateCommandTest.pixels(tuned)));
    Map<String, String> plainMeta = PngCodec.readText(Files.readAllBytes(plain));
    assertFalse(plainMeta.containsKey("sampler"), "defaults leave the PNG text as it was");
  }

  @Test
  void imageRepeatsForVariation() throws Exception {
    Path one = tmp.resolve("one.png");
    Path two = tmp.resolve("two.png");
    assertEquals(0, run(GenerateCommandTest.args(one, "image_variation", 5)).exitCode());
    Farm r =
        run(
            GenerateCommandTest.args(
                two, "image_variation", 5, "--image", GenerateCommandTest.input.toString()));
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertFalse(Arrays.equals(GenerateCommandTest.pixels(one), GenerateCommandTest.pixels(two)));
  }
}
